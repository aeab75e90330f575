"""Decoder self-attention with a KV cache (text-to-speech decoder)."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


class KVCache:
    def __init__(self, batch, heads, max_len, head_dim):
        self.k = torch.zeros(batch, heads, max_len, head_dim)
        self.v = torch.zeros(batch, heads, max_len, head_dim)
        self.current_idx = 0

    def update(self, k, v):
        n = k.shape[2]
        self.k[:, :, self.current_idx:self.current_idx + n] = k
        self.v[:, :, self.current_idx:self.current_idx + n] = v
        self.current_idx += n
        return self.k[:, :, :self.current_idx], self.v[:, :, :self.current_idx]


class Attention(nn.Module):
    def __init__(self, embed_dim=32, num_heads=4, is_causal=True):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.is_causal = is_causal
        self.q_proj = nn.Linear(embed_dim, embed_dim, bias=False)
        self.k_proj = nn.Linear(embed_dim, embed_dim, bias=False)
        self.v_proj = nn.Linear(embed_dim, embed_dim, bias=False)
        self.o_proj = nn.Linear(embed_dim, embed_dim, bias=False)

    def _shape(self, x):
        b, t, _ = x.shape
        return x.view(b, t, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None, cache: Optional[KVCache] = None):
        q, k, v = self._shape(self.q_proj(x)), self._shape(self.k_proj(x)), self._shape(self.v_proj(x))
        if cache is not None:
            k, v = cache.update(k, v)
        attn_output = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=attn_mask,
            scale=1.0,
            is_causal=self.is_causal,  # BUG: attn_mask (causal + padding, cache aware) and is_causal=True together: the extra top-left causal mask hides the cache from a 1-token query (RuntimeError on other backends)
        )
        attn_output = attn_output.transpose(1, 2).reshape(x.shape[0], x.shape[1], -1)
        return self.o_proj(attn_output)


def decoder_mask(valid: torch.Tensor, q_start: int, q_len: int) -> torch.Tensor:
    """(B, 1, q_len, kv_len) bool mask: causal w.r.t. absolute positions and key padding."""
    kv_len = q_start + q_len
    q_pos = torch.arange(q_start, kv_len)[:, None]
    k_pos = torch.arange(kv_len)[None, :]
    return (k_pos <= q_pos)[None, None] & valid[:, None, None, :kv_len]
