"""LLaMA-style attention with a KV cache. Uses SDPA's is_causal fast path
when there is no padding, and an explicit boolean mask otherwise."""
from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F


def build_causal_padding_mask(attention_mask: torch.Tensor, q_len: int) -> torch.Tensor:
    """attention_mask: (B, S) with 1 = token (S = cached + new). Returns a (B, 1, q_len, S)
    bool mask, True = may attend, with queries aligned to the end of the keys."""
    S = attention_mask.size(-1)
    causal = torch.ones(q_len, S, dtype=torch.bool, device=attention_mask.device).tril(diagonal=S - q_len)
    mask = causal[None, None, :, :] & attention_mask.bool()[:, None, None, :]
    # left-padded rows would have no visible key at all; let them attend everything
    # (their outputs are discarded) so no row of the softmax is empty
    return mask | ~mask.any(dim=-1, keepdim=True)


class LlamaSdpaAttention(nn.Module):
    def __init__(self, hidden_size=4096, num_heads=32):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(
        self,
        hidden_states: torch.Tensor,
        attention_mask: Optional[torch.Tensor] = None,
        past_key_value: Optional[Tuple[torch.Tensor, torch.Tensor]] = None,
    ):
        bsz, q_len, _ = hidden_states.size()
        q = self.q_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
        if past_key_value is not None:
            k = torch.cat([past_key_value[0], k], dim=2)
            v = torch.cat([past_key_value[1], v], dim=2)
        present = (k, v)

        causal_mask = None
        if attention_mask is not None and not bool(attention_mask.all()):
            causal_mask = build_causal_padding_mask(attention_mask, q_len)
        # is_causal is only valid without an explicit mask, and only for a square
        # prefill (SDPA's is_causal is upper-left aligned)
        is_causal = causal_mask is None and q_len > 1 and past_key_value is None
        if causal_mask is None and q_len > 1 and past_key_value is not None:
            causal_mask = torch.ones(q_len, k.size(2), dtype=torch.bool, device=q.device).tril(
                diagonal=k.size(2) - q_len
            )
        attn_output = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=causal_mask,
            is_causal=is_causal,
        )
        attn_output = attn_output.transpose(1, 2).reshape(bsz, q_len, -1)
        return self.o_proj(attn_output), present
