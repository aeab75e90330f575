import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def get_alibi_slopes(n_heads):
    start = 2 ** (-(2 ** -(math.log2(n_heads) - 3)))
    return torch.tensor([start * (start ** i) for i in range(n_heads)])


def build_2d_alibi_bias(grid_h, grid_w, n_heads):
    ys, xs = torch.meshgrid(torch.arange(grid_h), torch.arange(grid_w), indexing="ij")
    coords = torch.stack([ys.flatten(), xs.flatten()], dim=-1).float()
    dist = torch.cdist(coords, coords)
    slopes = get_alibi_slopes(n_heads)
    return -slopes[:, None, None] * dist[None]


class Attention(nn.Module):
    def __init__(self, dim, num_heads=4, qkv_bias=True):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, attn_bias=None):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        self.seen_dtypes = (None if attn_bias is None else attn_bias.dtype, q.dtype)
        x = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias)
        return self.proj(x.transpose(1, 2).reshape(B, N, C))


class Block(nn.Module):
    def __init__(self, dim, num_heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, num_heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, attn_bias=None):
        x = x + self.attn(self.norm1(x), attn_bias)
        return x + self.mlp(self.norm2(x))


class SlideEncoder(nn.Module):
    def __init__(self, patch_dim=24, embed_dim=32, depth=2, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.patch_embed = nn.Linear(patch_dim, embed_dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        self.blocks = nn.ModuleList([Block(embed_dim, num_heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(embed_dim)

    def forward(self, patch_features, grid_hw):
        x = self.patch_embed(patch_features)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1).to(x.dtype), x], dim=1)
        bias = build_2d_alibi_bias(*grid_hw, self.num_heads)
        bias = F.pad(bias, (1, 0, 1, 0), value=0.0)
        attn_bias = bias.unsqueeze(0).expand(x.shape[0], -1, -1, -1)  # BUG
        for blk in self.blocks:
            x = blk(x, attn_bias)
        return self.norm(x)[:, 0]


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SlideEncoder().to(torch.bfloat16).eval()
    feats = torch.randn(2, 12, 24, dtype=torch.bfloat16)
    try:
        with torch.inference_mode():
            emb = model(feats, grid_hw=(3, 4))
        mask_dtype, q_dtype = model.blocks[0].attn.seen_dtypes
        print(f"attn_bias/query dtypes at SDPA: {mask_dtype}/{q_dtype} (match: {mask_dtype == q_dtype})")
    except RuntimeError as e:
        print(f"raised RuntimeError: {e}")
