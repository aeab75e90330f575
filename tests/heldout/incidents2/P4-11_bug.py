from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


def _flash_attention_forward(query, key, value, attention_mask: Optional[torch.Tensor], is_causal: bool, dropout: float = 0.0):
    """Stand-in for the varlen flash kernel: (B, H, T, D) inputs, attention_mask (B, S) 1 = real token."""
    attn_mask = None
    if attention_mask is not None:
        attn_mask = attention_mask.bool()[:, None, None, :]
        if is_causal:
            T, S = query.size(-2), key.size(-2)
            causal = torch.ones(T, S, dtype=torch.bool, device=query.device).tril(S - T)
            attn_mask = attn_mask & causal
            is_causal = False
    return F.scaled_dot_product_attention(query, key, value, attn_mask=attn_mask, dropout_p=dropout, is_causal=is_causal)


class GPT2FlashAttention2(nn.Module):
    def __init__(self, embed_dim: int = 768, num_heads: int = 12, is_cross_attention: bool = False):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.is_causal = not is_cross_attention
        self.c_attn = nn.Linear(embed_dim, 3 * embed_dim)
        self.c_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, hidden_states: torch.Tensor, attention_mask: Optional[torch.Tensor] = None):
        B, q_len, C = hidden_states.shape
        q, k, v = self.c_attn(hidden_states).split(C, dim=2)
        q, k, v = (t.view(B, q_len, self.num_heads, self.head_dim).transpose(1, 2) for t in (q, k, v))

        is_causal = attention_mask is None and q_len > 1  # BUG: padding mask present -> causal disabled

        out = _flash_attention_forward(q, k, v, attention_mask, is_causal=is_causal)
        return self.c_proj(out.transpose(1, 2).reshape(B, q_len, C))


if __name__ == "__main__":
    attn = GPT2FlashAttention2()
    x = torch.randn(2, 7, 768)
    left_pad = torch.tensor([[0, 0, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1]])
    print(attn(x, left_pad).shape)
