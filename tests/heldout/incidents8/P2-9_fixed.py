import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def get_alibi_slopes(n_heads):
    start = 2 ** (-(2 ** -(math.log2(n_heads) - 3)))
    return torch.tensor([start * (start**i) for i in range(n_heads)])


def get_alibi(grid_size, n_heads):
    coords = torch.stack(torch.meshgrid(torch.arange(grid_size), torch.arange(grid_size), indexing="ij"), -1).view(-1, 2)
    dist = torch.cdist(coords.float(), coords.float())
    slopes = get_alibi_slopes(n_heads)
    return -slopes[:, None, None] * dist[None]


class Attention(nn.Module):
    def __init__(self, dim, num_heads=8, qkv_bias=True):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, attn_bias=None):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        x = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias)
        x = x.transpose(1, 2).reshape(B, N, C)
        return self.proj(x)


class SlideEncoder(nn.Module):
    def __init__(self, dim=64, num_heads=8, depth=2, grid_size=4):
        super().__init__()
        self.blocks = nn.ModuleList([Attention(dim, num_heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.grid_size = grid_size
        self.num_heads = num_heads

    def forward(self, patch_features):
        B = patch_features.shape[0]
        alibi = get_alibi(self.grid_size, self.num_heads).to(patch_features.device, patch_features.dtype)
        attn_bias = alibi.unsqueeze(0).expand(B, -1, -1, -1)
        x = patch_features
        for blk in self.blocks:
            x = x + blk(x, attn_bias=attn_bias)
        return self.norm(x).mean(1)


if __name__ == "__main__":
    model = SlideEncoder().to(torch.bfloat16)
    feats = torch.randn(2, 16, 64, dtype=torch.bfloat16)
    with torch.no_grad():
        print(model(feats).shape)
