import math

import torch
import torch.nn.functional as F
from torch import nn


def get_alibi_slopes(n_heads):
    start = 2 ** (-(2 ** -(math.log2(n_heads) - 3)))
    return torch.tensor([start * (start ** i) for i in range(n_heads)])


def build_2d_alibi(coords, n_heads):
    dist = torch.cdist(coords.float(), coords.float())
    return -get_alibi_slopes(n_heads)[None, :, None, None] * dist[:, None]


class SlideAttention(nn.Module):
    def __init__(self, dim=64, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, attn_bias):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        attn_bias = attn_bias  # BUG
        x = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias)
        return self.proj(x.transpose(1, 2).reshape(B, N, C))


class SlideEncoder(nn.Module):
    def __init__(self, patch_dim=32, dim=64, num_heads=4, depth=2):
        super().__init__()
        self.num_heads = num_heads
        self.patch_embed = nn.Linear(patch_dim, dim)
        self.blocks = nn.ModuleList([SlideAttention(dim, num_heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)

    def forward(self, patch_features, patch_coords):
        x = self.patch_embed(patch_features)
        attn_bias = build_2d_alibi(patch_coords, self.num_heads)
        for blk in self.blocks:
            x = x + blk(x, attn_bias)
        return self.norm(x).mean(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SlideEncoder().eval()
    feats = torch.randn(2, 16, 32)
    coords = torch.stack(torch.meshgrid(torch.arange(4), torch.arange(4), indexing="ij"), -1).reshape(1, 16, 2).expand(2, -1, -1)
    with torch.no_grad():
        ref = model(feats, coords)
        try:
            with torch.autocast("cpu", dtype=torch.bfloat16):
                emb = model(feats, coords)
            print(f"bf16 autocast ok on this backend: max |diff| vs fp32 = {(emb.float() - ref).abs().max().item():.3f}")
        except RuntimeError as e:
            print(f"RuntimeError: {e}")
