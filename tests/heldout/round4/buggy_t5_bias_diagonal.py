"""T5-style decoder self-attention with bucketed relative position bias, on SDPA."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def relative_position_bucket(relative_position, num_buckets=32, max_distance=128):
    # unidirectional (decoder) variant from the T5 paper
    relative_position = -torch.min(relative_position, torch.zeros_like(relative_position))
    max_exact = num_buckets // 2
    is_small = relative_position < max_exact
    large = max_exact + (
        torch.log(relative_position.float() / max_exact + 1e-6)
        / math.log(max_distance / max_exact)
        * (num_buckets - max_exact)
    ).long()
    large = torch.min(large, torch.full_like(large, num_buckets - 1))
    return torch.where(is_small, relative_position, large)


class T5DecoderSelfAttention(nn.Module):
    def __init__(self, d_model=512, n_heads=8, d_kv=64, num_buckets=32):
        super().__init__()
        self.n_heads, self.d_kv = n_heads, d_kv
        self.q = nn.Linear(d_model, n_heads * d_kv, bias=False)
        self.k = nn.Linear(d_model, n_heads * d_kv, bias=False)
        self.v = nn.Linear(d_model, n_heads * d_kv, bias=False)
        self.o = nn.Linear(n_heads * d_kv, d_model, bias=False)
        self.rel_bias = nn.Embedding(num_buckets, n_heads)

    def position_bias(self, T, device):
        ctx = torch.arange(T, device=device)[:, None]
        mem = torch.arange(T, device=device)[None, :]
        buckets = relative_position_bucket(mem - ctx)
        return self.rel_bias(buckets).permute(2, 0, 1).unsqueeze(0)   # (1, H, T, T)

    def forward(self, hidden):
        B, T, _ = hidden.shape
        shape = lambda t: t.view(B, T, self.n_heads, self.d_kv).transpose(1, 2)
        q, k, v = shape(self.q(hidden)), shape(self.k(hidden)), shape(self.v(hidden))
        causal = torch.triu(torch.full((T, T), float("-inf"), device=hidden.device), diagonal=0)
        bias = self.position_bias(T, hidden.device) + causal
        # T5 does not scale the logits
        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=bias,  # expect: ML404
            scale=1.0,
        )
        return self.o(out.transpose(1, 2).reshape(B, T, -1))


if __name__ == "__main__":
    layer = T5DecoderSelfAttention()
    y = layer(torch.randn(2, 7, 512))
    # row 0 has no visible key at all -> SDPA returns zeros there
    print(y[:, 0].abs().max())
