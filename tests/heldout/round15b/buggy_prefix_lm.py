import torch
import torch.nn as nn
import torch.nn.functional as F


def prefix_lm_mask(seq_len, prefix_len, device=None):
    causal = torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool, device=device))
    bidirectional = torch.zeros(seq_len, seq_len, dtype=torch.bool, device=device)
    bidirectional[:, :prefix_len] = True
    return torch.logical_or(causal, bidirectional)


class PrefixLM(nn.Module):
    """Decoder-only model whose prompt part is attended bidirectionally."""

    def __init__(self, vocab_size, d_model=32, nhead=4, num_layers=2, max_len=64):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Parameter(torch.zeros(1, max_len, d_model))
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.0,
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.lm_head = nn.Linear(d_model, vocab_size)

    def forward(self, tokens, prefix_len):
        h = self.embed(tokens) + self.pos[:, : tokens.size(1)]
        mask = prefix_lm_mask(tokens.size(1), prefix_len, tokens.device)
        h = self.encoder(h, mask=mask)  # expect: ML101
        return self.lm_head(h)

    def loss(self, tokens, prefix_len):
        logits = self(tokens[:, :-1], prefix_len)
        target = tokens[:, 1:].clone()
        target[:, : prefix_len - 1] = -100
        return F.cross_entropy(logits.transpose(1, 2), target, ignore_index=-100)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PrefixLM(vocab_size=50)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    batch = torch.randint(1, 50, (3, 12))
    for step in range(3):
        loss = model.loss(batch, prefix_len=4)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(step, f"{loss.item():.4f}")
