import math

import torch
import torch.nn.functional as F


def create_causal_mask(seq_len: int) -> torch.Tensor:
    """Additive causal mask: 0 on and below the diagonal, -inf above."""
    return torch.triu(torch.full((seq_len, seq_len), float("-inf")), diagonal=1)


def apply_mask(scores: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """mask: 1 = keep, 0 = block."""
    return scores.masked_fill(mask == 0, float("-inf"))


def scaled_dot_product(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor = None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        scores = apply_mask(scores, mask)
    weights = F.softmax(scores, dim=-1)
    return weights @ v, weights


class TinyCausalSelfAttention(torch.nn.Module):
    def __init__(self, d_model: int = 64, n_heads: int = 4):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = torch.nn.Linear(d_model, 3 * d_model)
        self.out = torch.nn.Linear(d_model, d_model)

    def forward(self, x: torch.Tensor):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.n_heads, C // self.n_heads).permute(2, 0, 3, 1, 4)
        mask = torch.tril(torch.ones(T, T))
        y, weights = scaled_dot_product(q, k, v, mask=mask)
        y = y.transpose(1, 2).reshape(B, T, C)
        return self.out(y), weights


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = TinyCausalSelfAttention()
    tokens = torch.randn(2, 5, 64)
    out, w = layer(tokens)
    print(w[0, 0])
