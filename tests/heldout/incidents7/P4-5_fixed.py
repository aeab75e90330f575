"""Autoregressive scoring script over a stack of nn.TransformerEncoderLayer modules
(batch_first), using the `is_causal` hint introduced in torch 2.0 (cf. pytorch issue 96941)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalStack(nn.Module):
    def __init__(self, vocab=64, d_model=32, nhead=4, num_layers=2, max_len=64):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, dropout=0.0, batch_first=True)
            for _ in range(num_layers)
        ])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab)

    def forward(self, ids):
        h = self.tok(ids) + self.pos(torch.arange(ids.shape[1]))
        causal = nn.Transformer.generate_square_subsequent_mask(ids.shape[1])
        for layer in self.layers:
            h = layer(h, src_mask=causal, is_causal=True)
        return self.head(self.norm(h))


@torch.no_grad()
def sequence_logprob(model, ids):
    logits = model(ids[:, :-1])
    logp = F.log_softmax(logits, dim=-1)
    return logp.gather(-1, ids[:, 1:, None]).squeeze(-1).sum(-1)


@torch.no_grad()
def leading_window_drift(model, ids, k):
    """Max difference of the first k logits computed with and without the rest of the row."""
    full = model(ids)[:, :k]
    head = model(ids[:, :k])
    return (full - head).abs().max().item()


def load_model(seed=0):
    torch.manual_seed(seed)
    model = CausalStack()
    model.eval()
    return model


if __name__ == "__main__":
    model = load_model()
    candidates = torch.randint(0, 64, (3, 12))
    scores = sequence_logprob(model, candidates)
    print("log-probs", scores)
    print("leading-window drift", leading_window_drift(model, candidates, k=5))
