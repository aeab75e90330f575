import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def alibi_slopes(n_heads: int) -> torch.Tensor:
    start = 2 ** (-8.0 / n_heads)
    return torch.tensor([start ** (i + 1) for i in range(n_heads)])


class SlideAttention(nn.Module):
    """Self-attention over patch features of a whole-slide image with a 2-D ALiBi distance bias."""

    def __init__(self, dim: int = 128, n_heads: int = 8):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)
        self.register_buffer("slopes", alibi_slopes(n_heads))

    def attn_bias(self, coords: torch.Tensor) -> torch.Tensor:
        # patch grid coordinates are kept in float32 for exact distances
        dist = torch.cdist(coords.float(), coords.float())  # (B, N, N)
        return -self.slopes.float().view(1, -1, 1, 1) * dist[:, None]  # (B, H, N, N)

    def forward(self, x: torch.Tensor, coords: torch.Tensor) -> torch.Tensor:
        b, n, c = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.n_heads, c // self.n_heads).permute(2, 0, 3, 1, 4)
        bias = self.attn_bias(coords)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # BUG
        return self.proj(out.transpose(1, 2).reshape(b, n, c))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SlideAttention(dim=64, n_heads=4).to(torch.bfloat16)
    feats = torch.randn(2, 9, 64, dtype=torch.bfloat16)
    grid = torch.stack(torch.meshgrid(torch.arange(3), torch.arange(3), indexing="ij"), -1).reshape(1, 9, 2)
    coords = (grid * 256).expand(2, -1, -1)
    with torch.no_grad():
        out = model(feats, coords)
    print(out.dtype, tuple(out.shape), "finite:", bool(torch.isfinite(out).all()))
