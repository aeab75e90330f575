from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


def _prepare_4d_causal_attention_mask(attention_mask, sequence_length, dtype):
    """Builds a (batch, 1, q_len, kv_len) additive mask: 0.0 to attend, finfo.min to mask."""
    min_dtype = torch.finfo(dtype).min
    batch_size = attention_mask.shape[0]
    causal_mask = torch.full((sequence_length, sequence_length), fill_value=min_dtype, dtype=dtype)
    causal_mask = torch.triu(causal_mask, diagonal=1)
    causal_mask = causal_mask[None, None, :, :].expand(batch_size, 1, -1, -1).clone()
    padding_mask = attention_mask[:, None, None, :] == 0
    causal_mask = causal_mask.masked_fill(padding_mask, min_dtype)
    return causal_mask


def sdpa_attention_forward(module, query, key, value, attention_mask: Optional[torch.Tensor], dropout=0.0, scaling=None):
    if attention_mask is not None:
        attention_mask = attention_mask[:, :, :, : key.shape[-2]]
        if attention_mask.dtype != torch.bool:
            attention_mask = attention_mask.bool()  # BUG: finfo.min (masked) entries become True (attend)

    attn_output = F.scaled_dot_product_attention(
        query, key, value, attn_mask=attention_mask, dropout_p=dropout, scale=scaling, is_causal=False)  # BUG: inverted mask consumed
    return attn_output.transpose(1, 2).contiguous()


class Llama4TextAttention(nn.Module):
    def __init__(self, hidden_size, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.scaling = self.head_dim ** -0.5
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.shape
        hidden_shape = (bsz, q_len, self.num_heads, self.head_dim)
        query_states = self.q_proj(hidden_states).view(hidden_shape).transpose(1, 2)
        key_states = self.k_proj(hidden_states).view(hidden_shape).transpose(1, 2)
        value_states = self.v_proj(hidden_states).view(hidden_shape).transpose(1, 2)
        attn_output = sdpa_attention_forward(self, query_states, key_states, value_states, attention_mask, scaling=self.scaling)
        attn_output = attn_output.reshape(bsz, q_len, -1)
        return self.o_proj(attn_output)


def run():
    attn = Llama4TextAttention(hidden_size=8, num_heads=2)
    hidden_states = torch.randn(2, 5, 8)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
    mask_4d = _prepare_4d_causal_attention_mask(attention_mask, 5, hidden_states.dtype)
    return attn(hidden_states, attention_mask=mask_4d)
