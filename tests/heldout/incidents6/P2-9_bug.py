"""Slide-level ViT over pre-extracted patch features, with a 2-D ALiBi bias from patch coordinates."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def get_alibi_slopes(n_heads):
    start = 2 ** (-(2 ** -(math.log2(n_heads) - 3)))
    return torch.tensor([start * (start ** i) for i in range(n_heads)])


def build_alibi_bias(coords: torch.Tensor, n_heads: int) -> torch.Tensor:
    """coords: (B, N, 2) patch grid positions -> (B, H, N, N) additive bias."""
    dist = torch.cdist(coords.float(), coords.float())
    slopes = get_alibi_slopes(n_heads).to(coords.device)
    return -slopes[None, :, None, None] * dist[:, None]


class Attention(nn.Module):
    def __init__(self, dim, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, attn_bias=None):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        x = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias)  # BUG
        return self.proj(x.transpose(1, 2).reshape(B, N, C))


class Block(nn.Module):
    def __init__(self, dim, num_heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, num_heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * 2), nn.GELU(), nn.Linear(dim * 2, dim))

    def forward(self, x, attn_bias):
        x = x + self.attn(self.norm1(x), attn_bias)
        return x + self.mlp(self.norm2(x))


class SlideEncoder(nn.Module):
    def __init__(self, in_dim=48, dim=32, depth=2, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.patch_embed = nn.Linear(in_dim, dim)
        self.blocks = nn.ModuleList([Block(dim, num_heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)

    def forward(self, feats, coords):
        x = self.patch_embed(feats)
        attn_bias = build_alibi_bias(coords, self.num_heads)
        for blk in self.blocks:
            x = blk(x, attn_bias)
        return self.norm(x).mean(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SlideEncoder().to(torch.bfloat16).eval()
    feats = torch.randn(2, 10, 48, dtype=torch.bfloat16)
    coords = torch.randint(0, 8, (2, 10, 2))
    with torch.no_grad():
        print(model(feats, coords).shape)
