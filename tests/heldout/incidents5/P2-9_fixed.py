"""Slide-level ViT encoder with ALiBi positional bias over patch grids (config-driven)."""
import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class SlideEncoderConfig:
    embed_dim: int = 64
    num_heads: int = 4
    depth: int = 2
    grid_size: int = 4
    use_alibi: bool = True
    dtype: torch.dtype = torch.bfloat16


def alibi_slopes(n_heads):
    start = 2 ** (-8 / n_heads)
    return torch.tensor([start ** (i + 1) for i in range(n_heads)])


def get_alibi_bias(cfg: SlideEncoderConfig):
    g = cfg.grid_size
    coords = torch.stack(torch.meshgrid(torch.arange(g), torch.arange(g), indexing="ij"), -1).view(-1, 2).float()
    dist = torch.cdist(coords, coords)
    return -alibi_slopes(cfg.num_heads)[:, None, None] * dist[None]


class Block(nn.Module):
    def __init__(self, cfg: SlideEncoderConfig):
        super().__init__()
        self.cfg = cfg
        self.norm = nn.LayerNorm(cfg.embed_dim)
        self.qkv = nn.Linear(cfg.embed_dim, 3 * cfg.embed_dim)
        self.proj = nn.Linear(cfg.embed_dim, cfg.embed_dim)

    def forward(self, x, attn_bias):
        b, n, d = x.shape
        h = self.cfg.num_heads
        q, k, v = self.qkv(self.norm(x)).view(b, n, 3, h, d // h).permute(2, 0, 3, 1, 4)
        if attn_bias is not None:
            attn_bias = attn_bias.to(q.dtype)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias)
        return x + self.proj(out.transpose(1, 2).reshape(b, n, d))


class SlideEncoder(nn.Module):
    def __init__(self, cfg: SlideEncoderConfig):
        super().__init__()
        self.cfg = cfg
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.depth))
        self.register_buffer("alibi", get_alibi_bias(cfg), persistent=False)

    def forward(self, patch_feats):
        x = patch_feats.to(self.cfg.dtype)
        bias = self.alibi.unsqueeze(0) if self.cfg.use_alibi else None
        for blk in self.blocks:
            x = blk(x, bias)
        return x.mean(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = SlideEncoderConfig()
    enc = SlideEncoder(cfg).to(cfg.dtype).eval()
    feats = torch.randn(2, cfg.grid_size ** 2, cfg.embed_dim)
    with torch.no_grad():
        print(enc(feats).shape, math.isfinite(enc(feats).float().sum().item()))
