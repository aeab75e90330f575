import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def get_alibi_slopes(n_heads):
    start = 2 ** (-(2 ** -(math.log2(n_heads) - 3)))
    return torch.tensor([start * start ** i for i in range(n_heads)])


class Attention(nn.Module):
    def __init__(self, dim, num_heads=2, qkv_bias=True):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, attn_bias=None):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        x = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias)  # BUG: fp32 bias with bf16 queries
        x = x.transpose(1, 2).reshape(B, N, C)
        return self.proj(x)


class SlideEncoder(nn.Module):
    """Patch-feature transformer with a 2D ALiBi bias computed from patch coordinates."""

    def __init__(self, in_dim=6, dim=8, num_heads=2):
        super().__init__()
        self.num_heads = num_heads
        self.patch_embed = nn.Linear(in_dim, dim)
        self.attn = Attention(dim, num_heads)
        self.norm = nn.LayerNorm(dim)

    def get_alibi_bias(self, coords):
        # coords: (B, N, 2) grid positions of the patches
        dist = torch.cdist(coords.float(), coords.float())  # (B, N, N)
        slopes = get_alibi_slopes(self.num_heads).to(coords.device)
        return (-dist[:, None] * slopes[None, :, None, None]).to(torch.float32)  # BUG: bias kept in float32

    def forward(self, feats, coords):
        x = self.patch_embed(feats)
        attn_bias = self.get_alibi_bias(coords)
        x = x + self.attn(self.norm(x), attn_bias=attn_bias)
        return x.mean(dim=1)


def run():
    model = SlideEncoder().to(torch.bfloat16)
    feats = torch.randn(2, 5, 6, dtype=torch.bfloat16)
    coords = torch.randint(0, 4, (2, 5, 2))
    with torch.no_grad():
        return model(feats, coords)
