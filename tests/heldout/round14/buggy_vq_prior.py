"""Autoregressive prior over VQ-VAE code maps (raster order), used to sample new latent
grids for the decoder. Attention is written out by hand so that the row/column position
embeddings can be added per head."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class AxialPositions(nn.Module):
    def __init__(self, height: int, width: int, dim: int):
        super().__init__()
        self.row = nn.Parameter(torch.randn(height, 1, dim) * 0.02)
        self.col = nn.Parameter(torch.randn(1, width, dim) * 0.02)

    def forward(self) -> torch.Tensor:
        return (self.row + self.col).flatten(0, 1)


class RasterSelfAttention(nn.Module):
    def __init__(self, dim: int, heads: int, seq_len: int):
        super().__init__()
        self.heads, self.scale = heads, (dim // heads) ** -0.5
        self.to_qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.to_out = nn.Linear(dim, dim)
        self.register_buffer("mask", torch.ones(seq_len, seq_len).triu(), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, n, d = x.shape
        q, k, v = self.to_qkv(x).unflatten(-1, (3, self.heads, d // self.heads)).permute(2, 0, 3, 1, 4)
        dots = torch.einsum("bhid,bhjd->bhij", q, k) * self.scale
        dots = dots.masked_fill(self.mask[:n, :n].bool(), float("-inf"))  # expect: ML404
        attn = dots.softmax(dim=-1)
        out = torch.einsum("bhij,bhjd->bhid", attn, v)
        return self.to_out(out.transpose(1, 2).reshape(b, n, d))


class CodePrior(nn.Module):
    def __init__(self, codebook: int = 512, height: int = 8, width: int = 8, dim: int = 64, heads: int = 4,
                 depth: int = 3):
        super().__init__()
        self.hw, self.bos = (height, width), codebook
        self.tok = nn.Embedding(codebook + 1, dim)
        self.pos = AxialPositions(height, width, dim)
        self.attn = nn.ModuleList(RasterSelfAttention(dim, heads, height * width) for _ in range(depth))
        self.ff = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(),
                                              nn.Linear(4 * dim, dim)) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.logits = nn.Linear(dim, codebook)

    def forward(self, codes: torch.Tensor) -> torch.Tensor:
        """codes: (B, H, W) -> logits (B, H*W, codebook); position t sees codes < t."""
        flat = codes.flatten(1)
        inp = torch.cat([torch.full_like(flat[:, :1], self.bos), flat[:, :-1]], dim=1)
        x = self.tok(inp) + self.pos()[: inp.size(1)]
        for attn, norm, ff in zip(self.attn, self.norms, self.ff):
            x = x + attn(norm(x))
            x = x + ff(x)
        return self.logits(x)

    def nll(self, codes: torch.Tensor) -> torch.Tensor:
        return F.cross_entropy(self(codes).transpose(1, 2), codes.flatten(1))

    @torch.no_grad()
    def sample(self, n: int, temperature: float = 1.0) -> torch.Tensor:
        h, w = self.hw
        codes = torch.zeros(n, h * w, dtype=torch.long)
        for t in range(h * w):
            logits = self(codes.view(n, h, w))[:, t] / temperature
            codes[:, t] = torch.multinomial(logits.softmax(-1), 1).squeeze(-1)
        return codes.view(n, h, w)


if __name__ == "__main__":
    torch.manual_seed(0)
    prior = CodePrior()
    codes = torch.randint(0, 512, (4, 8, 8))
    loss = prior.nll(codes)
    loss.backward()
    print("prior nll", loss.item())
    try:
        print("sampled grid", tuple(prior.sample(2).shape))
    except RuntimeError as err:
        print("sampling failed:", err)
