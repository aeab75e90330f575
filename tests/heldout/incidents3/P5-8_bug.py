"""Drop-in attention forward for Llama-style models that routes through PyTorch's fused kernel.

Usage: ``patch_attention(LlamaLikeAttention)`` before instantiating the model.
"""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


class LlamaLikeAttention(nn.Module):
    def __init__(self, hidden_size: int, num_heads: int):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)


def fused_forward(
    self: LlamaLikeAttention,
    hidden_states: torch.Tensor,
    attention_mask: Optional[torch.Tensor] = None,
    position_ids: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """attention_mask: (batch, seq) 1/0 padding mask, as produced by the tokenizer."""
    bsz, q_len, _ = hidden_states.size()

    def shape(t):
        return t.view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)

    q = shape(self.q_proj(hidden_states))
    k = shape(self.k_proj(hidden_states))
    v = shape(self.v_proj(hidden_states))
    attn_output = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # BUG
    attn_output = attn_output.transpose(1, 2).reshape(bsz, q_len, -1)
    return self.o_proj(attn_output)


def patch_attention(attention_cls=LlamaLikeAttention) -> None:
    attention_cls.forward = fused_forward
