from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn


class LlamaConfig:
    hidden_size = 64
    num_attention_heads = 4


class LlamaAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.hidden_size = config.hidden_size
        self.num_heads = config.num_attention_heads
        self.head_dim = self.hidden_size // self.num_heads
        self.q_proj = nn.Linear(self.hidden_size, self.hidden_size, bias=False)
        self.k_proj = nn.Linear(self.hidden_size, self.hidden_size, bias=False)
        self.v_proj = nn.Linear(self.hidden_size, self.hidden_size, bias=False)
        self.o_proj = nn.Linear(self.hidden_size, self.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None, position_ids=None):
        raise NotImplementedError


def flash_attn_func(q, k, v, dropout_p=0.0, softmax_scale=None, causal=False):
    q, k, v = (t.transpose(1, 2) for t in (q, k, v))
    out = F.scaled_dot_product_attention(q, k, v, dropout_p=dropout_p, scale=softmax_scale, is_causal=causal)
    return out.transpose(1, 2)


def forward(
    self,
    hidden_states: torch.Tensor,
    attention_mask: Optional[torch.Tensor] = None,  # BUG
    position_ids: Optional[torch.Tensor] = None,
) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
    bsz, q_len, _ = hidden_states.size()
    query_states = self.q_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim)
    key_states = self.k_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim)
    value_states = self.v_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim)
    attn_output = flash_attn_func(query_states, key_states, value_states, 0.0, softmax_scale=None, causal=True)  # BUG
    attn_output = attn_output.reshape(bsz, q_len, self.hidden_size)
    return self.o_proj(attn_output), None


def replace_llama_attn_with_flash_attn():
    LlamaAttention.forward = forward


if __name__ == "__main__":
    replace_llama_attn_with_flash_attn()
    attn = LlamaAttention(LlamaConfig())
    hidden = torch.randn(2, 8, 64)
    attention_mask = torch.ones(2, 8, dtype=torch.long)
    attention_mask[1, 5:] = 0
    out, _ = attn(hidden, attention_mask=attention_mask)
    print(out.shape)
