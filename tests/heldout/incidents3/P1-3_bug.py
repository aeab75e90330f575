"""Attention utilities for a Llama-4 style text decoder (SDPA backend)."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_causal_4d_mask(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """(batch, seq) 1/0 padding mask -> (batch, 1, seq, seq) additive mask: 0 = visible, finfo.min = hidden."""
    bsz, seq_len = attention_mask.shape
    min_value = torch.finfo(dtype).min
    causal = torch.full((seq_len, seq_len), min_value, dtype=dtype, device=attention_mask.device).triu(1)
    mask = causal[None, None].expand(bsz, 1, seq_len, seq_len).clone()
    padding = attention_mask[:, None, None, :] == 0
    return mask.masked_fill(padding, min_value)


def sdpa_attention_forward(
    module: nn.Module,
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attention_mask: Optional[torch.Tensor],
    scaling: float,
    dropout: float = 0.0,
) -> torch.Tensor:
    if attention_mask is not None and attention_mask.dtype != torch.bool:
        # the chunked/flex branches hand us a bool mask; turn the additive one into bool too
        attention_mask = attention_mask.bool()  # BUG
    out = F.scaled_dot_product_attention(
        query, key, value,
        attn_mask=attention_mask,
        dropout_p=dropout if module.training else 0.0,
        scale=scaling,
    )
    return out.transpose(1, 2).contiguous()


class Llama4TextAttention(nn.Module):
    def __init__(self, hidden_size: int, num_heads: int, attention_dropout: float = 0.0):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.scaling = self.head_dim ** -0.5
        self.attention_dropout = attention_dropout
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states: torch.Tensor, attention_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        bsz, q_len, _ = hidden_states.shape
        shape = (bsz, q_len, self.num_heads, self.head_dim)
        q = self.q_proj(hidden_states).view(shape).transpose(1, 2)
        k = self.k_proj(hidden_states).view(shape).transpose(1, 2)
        v = self.v_proj(hidden_states).view(shape).transpose(1, 2)
        attn_output = sdpa_attention_forward(self, q, k, v, attention_mask, self.scaling, self.attention_dropout)
        return self.o_proj(attn_output.reshape(bsz, q_len, -1))
