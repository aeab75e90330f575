"""Archer form model: summarises a tournament round into a form score.

An "end" is a group of six arrows shot before scoring. Each end is encoded from
the ring values and the (x, y) impact offsets; rounds have different numbers of
ends, so sequences are right-padded and come with an ``end_valid`` flag.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

ARROWS_PER_END = 6


class EndEncoder(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.ring = nn.Embedding(12, dim // 2)  # 0 = miss, 1..10, 11 = X
        self.xy = nn.Linear(2, dim // 2)
        self.mix = nn.Linear(dim, dim)

    def forward(self, rings, offsets):
        # rings: (B, E, 6) ; offsets: (B, E, 6, 2)
        a = torch.cat([self.ring(rings), self.xy(offsets)], dim=-1)
        return self.mix(a.mean(dim=2))


class EinsumAttention(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x, end_valid):
        b, n, d = x.shape
        h = self.heads
        q, k, v = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = (t.reshape(b, n, h, d // h) for t in (q, k, v))
        logits = torch.einsum("bihd,bjhd->bhij", q, k) * self.scale
        bias = end_valid.float()[:, None, None, :]
        logits = logits + bias  # BUG: 0/1 validity mask added to the logits
        attn = logits.softmax(dim=-1)
        out = torch.einsum("bhij,bjhd->bihd", attn, v).reshape(b, n, d)
        return self.to_out(out)


class FormScorer(nn.Module):
    def __init__(self, dim=32, depth=2):
        super().__init__()
        self.ends = EndEncoder(dim)
        self.layers = nn.ModuleList(
            nn.ModuleList([nn.LayerNorm(dim), EinsumAttention(dim), nn.LayerNorm(dim), nn.Linear(dim, dim)])
            for _ in range(depth)
        )
        self.score = nn.Linear(dim, 1)

    def forward(self, rings, offsets, end_valid):
        x = self.ends(rings, offsets)
        for ln1, attn, ln2, ff in self.layers:
            x = x + attn(ln1(x), end_valid)
            x = x + F.gelu(ff(ln2(x)))
        w = end_valid.float().unsqueeze(-1)
        pooled = (x * w).sum(1) / w.sum(1)
        return self.score(pooled).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    B, E = 3, 12
    rings = torch.randint(0, 12, (B, E, ARROWS_PER_END))
    offsets = torch.randn(B, E, ARROWS_PER_END, 2)
    n_ends = torch.tensor([12, 10, 6])
    end_valid = torch.arange(E)[None] < n_ends[:, None]
    model = FormScorer()
    print(model(rings, offsets, end_valid))
