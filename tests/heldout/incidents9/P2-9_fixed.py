import math

import torch
import torch.nn.functional as F
from torch import nn


def get_alibi_bias(grid_size: int, num_heads: int) -> torch.Tensor:
    """2-D ALiBi bias between patch positions on a grid (float32 by construction)."""
    ys, xs = torch.meshgrid(torch.arange(grid_size), torch.arange(grid_size), indexing="ij")
    coords = torch.stack([ys.flatten(), xs.flatten()], -1).float()
    dist = torch.cdist(coords, coords)
    slopes = torch.tensor([2 ** (-8 * (i + 1) / num_heads) for i in range(num_heads)])
    return -slopes[:, None, None] * dist  # (heads, N, N)


class Attention(nn.Module):
    def __init__(self, dim, num_heads=4, attn_drop=0.0):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)
        self.attn_drop_prob = attn_drop

    def forward(self, x, attn_bias=None):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        if attn_bias is not None:
            attn_bias = attn_bias.to(q.dtype)
        x = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias, dropout_p=self.attn_drop_prob)
        return self.proj(x.transpose(1, 2).reshape(B, N, C))


class SlideEncoder(nn.Module):
    def __init__(self, dim=32, grid_size=4, num_heads=4):
        super().__init__()
        self.grid_size, self.num_heads = grid_size, num_heads
        self.attn = Attention(dim, num_heads)

    def forward(self, patch_features):
        bias = get_alibi_bias(self.grid_size, self.num_heads).to(patch_features.device)
        bias = bias.unsqueeze(0).expand(patch_features.size(0), -1, -1, -1)
        return self.attn(patch_features, attn_bias=bias)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SlideEncoder().to(torch.bfloat16)
    feats = torch.randn(2, 16, 32, dtype=torch.bfloat16)
    out = model(feats)
    print(out.shape, out.dtype, math.isfinite(out.float().abs().max().item()))
