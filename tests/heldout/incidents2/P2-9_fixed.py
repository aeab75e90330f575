import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def get_alibi_slopes(n_heads: int) -> torch.Tensor:
    start = 2 ** (-(2 ** -(math.log2(n_heads) - 3)))
    return torch.tensor([start * (start ** i) for i in range(n_heads)])


class SlideAttention(nn.Module):
    def __init__(self, dim: int = 768, num_heads: int = 12):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)
        self.register_buffer("slopes", get_alibi_slopes(num_heads), persistent=False)

    def forward(self, x: torch.Tensor, coords: torch.Tensor) -> torch.Tensor:
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)

        dist = torch.cdist(coords.float(), coords.float())  # (B, N, N) in float32
        attn_bias = -dist[:, None] * self.slopes.float()[None, :, None, None]
        attn_bias = attn_bias.to(q.dtype)

        x = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias)
        return self.proj(x.transpose(1, 2).reshape(B, N, C))


class SlideEncoder(nn.Module):
    def __init__(self, dim: int = 768, depth: int = 6, num_heads: int = 12):
        super().__init__()
        self.blocks = nn.ModuleList([SlideAttention(dim, num_heads) for _ in range(depth)])
        self.norms = nn.ModuleList([nn.LayerNorm(dim) for _ in range(depth)])

    def forward(self, patch_features: torch.Tensor, coords: torch.Tensor) -> torch.Tensor:
        x = patch_features
        for norm, blk in zip(self.norms, self.blocks):
            x = x + blk(norm(x), coords)
        return x.mean(dim=1)


@torch.no_grad()
def encode_slide(model: SlideEncoder, features: torch.Tensor, coords: torch.Tensor) -> torch.Tensor:
    model = model.to(torch.bfloat16).eval()
    return model(features.to(torch.bfloat16), coords)


if __name__ == "__main__":
    enc = SlideEncoder(depth=2)
    feats = torch.randn(1, 64, 768)
    coords = torch.randint(0, 50_000, (1, 64, 2))
    print(encode_slide(enc, feats, coords).shape)
