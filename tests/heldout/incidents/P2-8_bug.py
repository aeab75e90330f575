import math

import torch
import torch.nn.functional as F
from torch import nn


def _prepare_4d_causal_attention_mask_for_sdpa(attention_mask, input_shape, inputs_embeds, past_key_values_length=0):
    """Returns None when SDPA's is_causal path can be used, otherwise a 4D mask for SDPA.

    A 4D mask passed in is assumed to be already in its final form (bool or float additive).
    """
    batch_size, query_length = input_shape
    key_value_length = query_length + past_key_values_length
    if attention_mask is None:
        return None
    if attention_mask.dim() == 4:
        return attention_mask
    if torch.all(attention_mask == 1) and query_length > 1:
        return None
    dtype = inputs_embeds.dtype
    causal = torch.ones(query_length, key_value_length, dtype=torch.bool).tril(past_key_values_length)
    keep = causal[None, None] & attention_mask[:, None, None, :].bool()
    return torch.zeros(keep.shape, dtype=dtype).masked_fill(~keep, torch.finfo(dtype).min)


def build_sliding_window_mask(attention_mask, sliding_window):
    """Gemma sliding-window + padding mask, 1 = attend."""
    q_len = attention_mask.shape[-1]
    idx = torch.arange(q_len)
    window = (idx[None, :] <= idx[:, None]) & (idx[:, None] - idx[None, :] < sliding_window)
    return window.to(attention_mask.dtype)[None, None] * attention_mask[:, None, None, :]  # BUG: int64 keep-mask


class GemmaAttention_fast(nn.Module):
    def __init__(self, hidden_size=8, num_heads=2, sliding_window=3):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.sliding_window = sliding_window
        self.qkv = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        bsz, q_len, _ = hidden_states.shape
        Q, K, V = self.qkv(hidden_states).view(bsz, q_len, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        mask = build_sliding_window_mask(attention_mask, self.sliding_window)
        mask = _prepare_4d_causal_attention_mask_for_sdpa(mask, (bsz, q_len), hidden_states)
        A = F.scaled_dot_product_attention(Q, K, V, attn_mask=mask, scale=1 / math.sqrt(self.head_dim),
                                           is_causal=mask is None)  # BUG: integer mask reaches SDPA
        return self.o_proj(A.transpose(1, 2).reshape(bsz, q_len, -1))


def run():
    attn = GemmaAttention_fast()
    hidden_states = torch.randn(2, 5, 8)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
    return attn(hidden_states, attention_mask)
