from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn


class GPTBigCodeAttention(nn.Module):
    """Multi-query attention block (one shared key/value head)."""

    def __init__(self, embed_dim=8, num_heads=2):
        super().__init__()
        self.embed_dim, self.num_heads = embed_dim, num_heads
        self.head_dim = embed_dim // num_heads
        self.c_attn = nn.Linear(embed_dim, embed_dim + 2 * self.head_dim)
        self.c_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, hidden_states, attention_mask=None):
        raise NotImplementedError("replaced by the patched forward below")


def forward(
    self,
    hidden_states: torch.Tensor,
    attention_mask: Optional[torch.Tensor] = None,
) -> Tuple[torch.Tensor, None]:
    bsz, q_len, _ = hidden_states.shape
    query, key_value = self.c_attn(hidden_states).split((self.embed_dim, 2 * self.head_dim), dim=2)
    key, value = key_value.split((self.head_dim, self.head_dim), dim=-1)
    query = query.view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
    key = key.unsqueeze(1).expand(-1, self.num_heads, -1, -1)
    value = value.unsqueeze(1).expand(-1, self.num_heads, -1, -1)

    # flash attention kernel: causal, no padding support
    attn_output = F.scaled_dot_product_attention(query, key, value, dropout_p=0.0, is_causal=True)  # BUG: attention_mask silently ignored
    attn_output = attn_output.transpose(1, 2).reshape(bsz, q_len, self.embed_dim)
    return self.c_proj(attn_output), None


def replace_starcoder_attn_with_flash_attn():
    GPTBigCodeAttention.forward = forward


def run():
    replace_starcoder_attn_with_flash_attn()
    attn = GPTBigCodeAttention()
    hidden_states = torch.randn(2, 5, 8)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]])  # padded fine-tuning batch
    out, _ = attn(hidden_states, attention_mask=attention_mask)
    return out
