"""Masks reshaped with einops keep what they mean (lucidrains style)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from einops import rearrange, repeat


class Attention(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, 3 * dim, bias=False)

    def forward(self, x, lengths):
        n = x.shape[1]
        q, k, v = (rearrange(t, "b n (h d) -> b h n d", h=self.heads) for t in self.to_qkv(x).chunk(3, dim=-1))
        sim = torch.einsum("b h i d, b h j d -> b h i j", q, k)
        real = torch.arange(n, device=x.device)[None, :] < lengths[:, None]  # True = real token
        real = rearrange(real, "b j -> b 1 1 j")
        sim = sim.masked_fill(real, -torch.finfo(sim.dtype).max)  # expect: ML101
        return torch.einsum("b h i j, b h j d -> b h i d", sim.softmax(dim=-1), v)


def sdpa_with_repeated_padding(q, k, v, pad, heads):
    """pad: (B, S) bool, True = padding."""
    mask = repeat(pad, "b j -> b h i j", h=heads, i=q.shape[-2])
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML102
