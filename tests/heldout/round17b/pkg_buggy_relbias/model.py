"""Bulletin decoder: numeric guidance is a prefix of learned tokens."""
import torch
from torch import nn

from .bias import ClippedRelativeBias, decoder_bias


class BulletinLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, bias):
        h = self.ln(x)
        x = x + self.attn(h, h, h, attn_mask=bias)[0]
        return x + self.ff(x)


class BulletinWriter(nn.Module):
    def __init__(self, vocab=900, n_guidance=10, dim=64, heads=4, layers=2):
        super().__init__()
        self.heads = heads
        self.guidance = nn.Linear(n_guidance, dim)
        self.words = nn.Embedding(vocab, dim)
        self.rel = ClippedRelativeBias(heads)
        self.layers = nn.ModuleList(BulletinLayer(dim, heads) for _ in range(layers))
        self.out = nn.Linear(dim, vocab)

    def forward(self, guidance, words):
        x = torch.cat([self.guidance(guidance)[:, None], self.words(words)], dim=1)
        bias = decoder_bias(self.rel(x.size(1)), x.size(0))
        for layer in self.layers:
            x = layer(x, bias)
        return self.out(x[:, 1:])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BulletinWriter()
    guidance = torch.randn(3, 10)
    words = torch.randint(0, 900, (3, 25))
    logits = model(guidance, words[:, :-1])
    print(nn.functional.cross_entropy(logits.transpose(1, 2), words[:, 1:]).item())
