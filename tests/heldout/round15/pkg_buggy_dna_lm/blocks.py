import torch
from torch import nn

from .registry import register_block


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


@register_block("swiglu")
class SwiGLU(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.w12 = nn.Linear(dim, 2 * hidden, bias=False)
        self.w3 = nn.Linear(hidden, dim, bias=False)

    def forward(self, x):
        a, b = self.w12(x).chunk(2, -1)
        return self.w3(nn.functional.silu(a) * b)


@register_block("mha_prenorm")
class PreNormAttentionBlock(nn.Module):
    def __init__(self, dim, heads, ffn_mult=2, dropout=0.0):
        super().__init__()
        self.norm1, self.norm2 = RMSNorm(dim), RMSNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, bias=False, batch_first=True)
        self.ffn = SwiGLU(dim, ffn_mult * dim)

    def forward(self, x, pad_mask=None):
        h = self.norm1(x)
        a, _ = self.attn(h, h, h, key_padding_mask=pad_mask, need_weights=False)  # expect: ML401
        x = x + a
        return x + self.ffn(self.norm2(x))
