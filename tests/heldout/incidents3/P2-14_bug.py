import math

import torch


def apply_mask(scores: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """mask convention of this chapter: 1 = may attend, 0 = blocked."""
    return scores.masked_fill(mask == 0, float("-inf"))


def causal_mask(n: int) -> torch.Tensor:
    return torch.triu(torch.full((n, n), float("-inf")), diagonal=1)  # BUG


def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor = None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        scores = apply_mask(scores, mask)
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


if __name__ == "__main__":
    torch.manual_seed(42)
    seq_len, d = 4, 8
    x = torch.randn(seq_len, d)
    Wq, Wk, Wv = (torch.randn(d, d) / math.sqrt(d) for _ in range(3))
    out, w = attention(x @ Wq, x @ Wk, x @ Wv, mask=causal_mask(seq_len))
    print("attention weights (row = query):")
    print(w)
    print("output has NaN:", bool(torch.isnan(out).any()))
