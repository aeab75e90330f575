"""xformers memory_efficient_attention with tensor biases built wrong."""
import torch
import xformers.ops as xops
from torch import nn


def causal_bias(L: int, device=None) -> torch.Tensor:
    allowed = torch.tril(torch.ones(L, L, device=device)).bool()
    return torch.zeros(L, L, device=device).masked_fill(allowed, float("-inf"))  # -inf where allowed


class XfBlock(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, D // self.h).unbind(2)
        bias = causal_bias(L, x.device)
        return xops.memory_efficient_attention(q, k, v, attn_bias=bias)  # expect: ML103


class XfPadded(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, tokens, pad_id: int):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, D // self.h).unbind(2)
        keep = (tokens != pad_id).float()[:, None, None, :].expand(B, self.h, L, L)  # 0/1: masks nothing
        return xops.memory_efficient_attention(q, k, v, keep)  # expect: ML202
