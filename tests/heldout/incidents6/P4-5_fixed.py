"""Scores candidate continuations with a small causal LM built from TransformerEncoderLayer."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalLM(nn.Module):
    def __init__(self, vocab=64, d_model=32, nhead=4, nlayers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(128, d_model)
        self.layers = nn.ModuleList(
            [nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True) for _ in range(nlayers)]
        )
        self.lm_head = nn.Linear(d_model, vocab)

    def forward(self, ids):
        x = self.embed(ids) + self.pos(torch.arange(ids.size(1)))
        for layer in self.layers:
            causal_mask = nn.Transformer.generate_square_subsequent_mask(ids.size(1))
            x = layer(x, src_mask=causal_mask, is_causal=True)
        return self.lm_head(x)


@torch.no_grad()
def sequence_logprob(model, ids):
    logits = model(ids)
    logp = F.log_softmax(logits[:, :-1], dim=-1)
    return logp.gather(-1, ids[:, 1:, None]).squeeze(-1).sum(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CausalLM().eval()
    candidates = torch.randint(0, 64, (4, 9))
    print(sequence_logprob(model, candidates))
