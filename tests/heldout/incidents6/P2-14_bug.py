"""Teaching implementation of causal self-attention with reusable masking utilities."""
import math

import torch
import torch.nn as nn


def causal_mask(seq_len: int) -> torch.Tensor:
    """Additive causal mask: 0 on and below the diagonal, -inf above."""
    return torch.triu(torch.full((seq_len, seq_len), float("-inf")), diagonal=1)


def apply_mask(scores: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """mask: 1 where attention is allowed, 0 where it is blocked."""
    return scores.masked_fill(mask == 0, float("-inf"))


def attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        scores = apply_mask(scores, mask)
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


class CausalSelfAttention(nn.Module):
    def __init__(self, d_model=16, n_heads=2):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.o = nn.Linear(d_model, d_model)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.n_heads, C // self.n_heads).permute(2, 0, 3, 1, 4)
        mask = causal_mask(T)  # BUG
        out, w = attention(q, k, v, mask)
        return self.o(out.transpose(1, 2).reshape(B, T, C)), w


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = CausalSelfAttention()
    y, w = layer(torch.randn(2, 5, 16))
    print(y.shape, w[0, 0])
