"""Whole-slide encoder in the style of mahmoodlab/TITAN: patch features on a 2D grid,
ALiBi-style distance bias passed to F.scaled_dot_product_attention, inference under bf16 autocast."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def get_alibi_slopes(n_heads):
    start = 2 ** (-8.0 / n_heads)
    return torch.tensor([start ** (i + 1) for i in range(n_heads)])


def build_2d_alibi(coords, n_heads):
    dist = torch.cdist(coords.float(), coords.float())
    slopes = get_alibi_slopes(n_heads).view(1, n_heads, 1, 1)
    return -slopes * dist[:, None, :, :]


class Attention(nn.Module):
    def __init__(self, dim, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, attn_bias):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        x = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias.to(q.dtype))
        return self.proj(x.transpose(1, 2).reshape(B, N, C))


class Block(nn.Module):
    def __init__(self, dim, num_heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, num_heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * 4), nn.GELU(), nn.Linear(dim * 4, dim))

    def forward(self, x, attn_bias):
        x = x + self.attn(self.norm1(x), attn_bias)
        return x + self.mlp(self.norm2(x))


class SlideEncoder(nn.Module):
    def __init__(self, in_dim=64, dim=32, depth=2, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.patch_embed = nn.Linear(in_dim, dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.blocks = nn.ModuleList([Block(dim, num_heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)

    def forward(self, patch_features, patch_coords):
        x = self.patch_embed(patch_features)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1)
        coords = torch.cat([patch_coords.mean(1, keepdim=True), patch_coords], dim=1)
        attn_bias = build_2d_alibi(coords, self.num_heads)
        for blk in self.blocks:
            x = blk(x, attn_bias)
        return self.norm(x[:, 0])


@torch.no_grad()
def encode_slide(model, feats, coords):
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        return model(feats, coords)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SlideEncoder().to(torch.bfloat16).eval()
    grid = torch.stack(torch.meshgrid(torch.arange(4), torch.arange(4), indexing="ij"), -1).reshape(1, 16, 2).float()
    feats = torch.randn(1, 16, 64, dtype=torch.bfloat16)
    emb = encode_slide(model, feats, grid)
    print(emb.shape, emb.dtype)
