from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


def _flash_attention_forward(query, key, value, attention_mask: Optional[torch.Tensor], is_causal: bool, dropout=0.0):
    """Varlen-style attention: padding (2D mask, 1 = token) and causality are handled independently.

    query/key/value: (batch, seq, heads, head_dim).
    """
    q, k, v = (t.transpose(1, 2) for t in (query, key, value))
    keep = None
    if attention_mask is not None:
        keep = attention_mask.bool()[:, None, None, :]
    if is_causal:
        causal = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool, device=q.device).tril(k.shape[-2] - q.shape[-2])
        keep = causal if keep is None else keep & causal
    if attention_mask is not None:
        # padded query rows are dropped by the varlen kernel; let them attend anywhere and zero them afterwards
        keep = keep | ~attention_mask.bool()[:, None, -q.shape[-2]:, None]
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep, dropout_p=dropout)
    if attention_mask is not None:
        out = out * attention_mask[:, None, -q.shape[-2]:, None].to(out.dtype)
    return out.transpose(1, 2)


class GPT2FlashAttention2(nn.Module):
    def __init__(self, embed_dim=8, num_heads=2, is_cross_attention=False):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, embed_dim // num_heads
        self.is_cross_attention = is_cross_attention
        self.c_attn = nn.Linear(embed_dim, 3 * embed_dim)
        self.c_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.shape
        query, key, value = self.c_attn(hidden_states).split(self.num_heads * self.head_dim, dim=2)
        shape = (bsz, q_len, self.num_heads, self.head_dim)
        query, key, value = query.view(shape), key.view(shape), value.view(shape)
        is_causal = attention_mask is None and q_len > 1  # BUG: causality dropped whenever a padding mask is given
        attn_output = _flash_attention_forward(query, key, value, attention_mask, is_causal=is_causal)  # BUG: left-padded prompts attend to the future
        return self.c_proj(attn_output.reshape(bsz, q_len, -1))


def run():
    attn = GPT2FlashAttention2()
    hidden_states = torch.randn(2, 5, 8)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]])  # left padding for batched generation
    return attn(hidden_states, attention_mask=attention_mask)
