"""Intent classification for SMS banking commands."""
import torch
from torch import nn

INTENTS = ["balance", "transfer", "block_card", "pay_bill", "help"]


class SmsIntent(nn.Module):
    def __init__(self, vocab=5000, dim=48, heads=4):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(64, dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln = nn.LayerNorm(dim)
        self.out = nn.Linear(dim, len(INTENTS))

    def forward(self, tokens):
        empty = tokens == 0
        x = self.tok(tokens) + self.pos(torch.arange(tokens.size(1), device=tokens.device))
        h, weights = self.attn(x, x, x, key_padding_mask=empty)
        h = self.ln(x + h)
        keep = (~empty).unsqueeze(-1).float()
        return self.out((h * keep).sum(1) / keep.sum(1)), weights


def encode(texts, vocab=5000, n=12):
    rows = []
    for t in texts:
        ids = [(sum(map(ord, w)) % (vocab - 1)) + 1 for w in t.lower().split()][:n]
        rows.append(ids + [0] * (n - len(ids)))
    return torch.tensor(rows)


if __name__ == "__main__":
    torch.manual_seed(0)
    batch = encode(["BAL", "send 50 to mum", "lost my card please block it now"])
    logits, weights = SmsIntent()(batch)
    print([INTENTS[i] for i in logits.argmax(-1).tolist()], weights.shape)
