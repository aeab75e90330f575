"""Image-GPT-style pixel model on 8x8 colour-quantised thumbnails (raster order).

Attention is written with einsum so that per-head temperature can be learned.
"""
import torch
from torch import nn
from torch.nn import functional as F


class EinsumAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.to_qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.log_temp = nn.Parameter(torch.zeros(heads))
        self.out = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.to_qkv(x).chunk(3, -1)
        q, k, v = (t.reshape(b, n, self.h, d // self.h) for t in (q, k, v))
        sim = torch.einsum("bihd,bjhd->bhij", q, k) * (d // self.h) ** -0.5
        sim = sim * self.log_temp.exp()[None, :, None, None]
        future = torch.triu(torch.ones(n, n, dtype=torch.bool, device=x.device))  # expect: ML404
        sim = sim.masked_fill(future, float("-inf"))
        attn = sim.softmax(-1)
        out = torch.einsum("bhij,bjhd->bihd", attn, v).reshape(b, n, d)
        return self.out(out)


class PixelGPT(nn.Module):
    def __init__(self, n_colors=16, side=8, dim=48, heads=4, depth=2):
        super().__init__()
        self.sos = nn.Parameter(torch.zeros(1, 1, dim))
        self.color = nn.Embedding(n_colors, dim)
        self.pos = nn.Parameter(torch.randn(side * side, dim) * 0.02)
        self.attn = nn.ModuleList(EinsumAttention(dim, heads) for _ in range(depth))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim)) for _ in range(depth))
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, n_colors)

    def forward(self, pixels):  # (B, side*side) colour indices
        x = self.color(pixels[:, :-1])
        x = torch.cat([self.sos.expand(x.size(0), -1, -1), x], 1) + self.pos
        for attn, mlp, ln in zip(self.attn, self.mlp, self.ln):
            x = x + attn(ln(x))
            x = x + mlp(x)
        return self.head(x)

    def nll(self, pixels):
        return F.cross_entropy(self(pixels).transpose(1, 2), pixels)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PixelGPT()
    imgs = torch.randint(0, 16, (2, 64))
    print("nll", model.nll(imgs).item())
