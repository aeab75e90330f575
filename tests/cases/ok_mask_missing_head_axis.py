"""The per-sample mask given its head axis (silent)."""
import torch
import torch.nn as nn
from einops import rearrange


class Attention(nn.Module):
    def __init__(self, dim=64, heads=8, dim_head=8):
        super().__init__()
        self.heads, self.scale = heads, dim_head ** -0.5
        self.to_qkv = nn.Linear(dim, heads * dim_head * 3, bias=False)

    def forward(self, x, lengths):
        n = x.shape[1]
        q, k, v = (rearrange(t, "b n (h d) -> b h n d", h=self.heads) for t in self.to_qkv(x).chunk(3, dim=-1))
        dots = torch.einsum("b h i d, b h j d -> b h i j", q, k) * self.scale
        real = torch.arange(n, device=x.device)[None, :] < lengths[:, None]
        pair = real[:, None, :] & real[:, :, None]
        dots = dots.masked_fill(~pair[:, None], -torch.finfo(dots.dtype).max)
        return torch.einsum("b h i j, b h j d -> b h i d", dots.softmax(dim=-1), v)
