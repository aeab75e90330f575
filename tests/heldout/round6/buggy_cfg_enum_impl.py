"""Attention with a selectable backend (enum) and padding masks from the batch."""
import enum
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class AttnImpl(enum.Enum):
    EAGER = "eager"
    SDPA = "sdpa"


class DecoderSelfAttention(nn.Module):
    def __init__(self, dim=64, heads=4, impl: AttnImpl = AttnImpl.SDPA):
        super().__init__()
        self.heads, self.hd, self.impl = heads, dim // heads, impl
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, attention_mask):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, self.hd).permute(2, 0, 3, 1, 4)
        keep = attention_mask.bool()[:, None, None, :]  # (B,1,1,T), True = real token
        if self.impl is AttnImpl.EAGER:
            s = q @ k.transpose(-2, -1) / math.sqrt(self.hd)
            causal = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
            s = s.masked_fill(~(keep & causal), float("-inf"))
            y = s.softmax(-1) @ v
        elif self.impl is AttnImpl.SDPA:
            y = F.scaled_dot_product_attention(  # expect: ML403
                q, k, v,
                attn_mask=keep,
                is_causal=True,
            )
        else:
            raise ValueError(self.impl)
        return self.o(y.transpose(1, 2).reshape(B, T, C))


if __name__ == "__main__":
    from torch.nn.attention import SDPBackend, sdpa_kernel
    m = DecoderSelfAttention()
    x, am = torch.randn(2, 5, 64), torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]])
    try:
        with sdpa_kernel(SDPBackend.MATH):
            m(x, am)
    except RuntimeError as e:
        print("math backend:", e)
