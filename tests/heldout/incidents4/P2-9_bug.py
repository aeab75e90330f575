import math

import torch
import torch.nn as nn
import torch.nn.functional as F

sdpa = F.scaled_dot_product_attention


def get_alibi_slopes(n_heads):
    start = 2 ** (-(2 ** -(math.log2(n_heads) - 3)))
    return torch.tensor([start * (start ** i) for i in range(n_heads)])


def coords_to_bias(coords, slopes, patch_size):
    dist = torch.cdist(coords.float(), coords.float()) / patch_size
    return -dist[:, None, :, :] * slopes.to(coords.device)[None, :, None, None]


class ALiBiSelfAttention(nn.Module):
    def __init__(self, dim, heads=8, patch_size=512):
        super().__init__()
        self.heads = heads
        self.patch_size = patch_size
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)
        self.register_buffer("slopes", get_alibi_slopes(heads), persistent=False)

    def forward(self, x, coords):
        b, n, c = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        attn_bias = coords_to_bias(coords, self.slopes, self.patch_size)  # BUG
        out = sdpa(q, k, v, attn_mask=attn_bias)  # BUG
        return self.proj(out.transpose(1, 2).reshape(b, n, c))


class SlideEncoder(nn.Module):
    def __init__(self, in_dim=768, dim=256, depth=2, heads=8):
        super().__init__()
        self.patch_embed = nn.Linear(in_dim, dim)
        self.blocks = nn.ModuleList([ALiBiSelfAttention(dim, heads) for _ in range(depth)])
        self.norms = nn.ModuleList([nn.LayerNorm(dim) for _ in range(depth)])
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))

    def forward(self, features, coords):
        coords = coords.float()
        x = self.patch_embed(features)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1).to(x.dtype), x], dim=1)
        coords = torch.cat([coords.mean(1, keepdim=True), coords], dim=1)
        for norm, block in zip(self.norms, self.blocks):
            x = x + block(norm(x), coords)
        return x[:, 0]


@torch.no_grad()
def encode_slide(model, features, coords, device="cpu"):
    model = model.to(device=device, dtype=torch.bfloat16).eval()
    return model(features.to(device, torch.bfloat16), coords.to(device)).float()
