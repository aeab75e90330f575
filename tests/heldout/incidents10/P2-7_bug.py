"""modeling_qwen3.py (excerpt) - eager attention path.

The mask builder may hand the attention function a boolean 4-D mask
(True = attend) when the model is used with the eager implementation.
"""
from typing import Optional

import torch
from torch import nn


def repeat_kv(hidden_states: torch.Tensor, n_rep: int) -> torch.Tensor:
    if n_rep == 1:
        return hidden_states
    b, h, s, d = hidden_states.shape
    return hidden_states[:, :, None].expand(b, h, n_rep, s, d).reshape(b, h * n_rep, s, d)


def eager_attention_forward(module: nn.Module, query, key, value, attention_mask: Optional[torch.Tensor],
                            scaling: float, dropout: float = 0.0, **kwargs):
    key_states = repeat_kv(key, module.num_key_value_groups)
    value_states = repeat_kv(value, module.num_key_value_groups)
    attn_weights = torch.matmul(query, key_states.transpose(2, 3)) * scaling
    if attention_mask is not None:
        causal_mask = attention_mask[:, :, :, : key_states.shape[-2]]
        attn_weights = attn_weights + causal_mask  # BUG
    attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query.dtype)
    attn_output = torch.matmul(attn_weights, value_states)
    return attn_output.transpose(1, 2).contiguous(), attn_weights


class Qwen3Attention(nn.Module):
    def __init__(self, hidden_size=32, num_heads=4, num_kv_heads=2):
        super().__init__()
        self.head_dim = hidden_size // num_heads
        self.num_key_value_groups = num_heads // num_kv_heads
        self.scaling = self.head_dim ** -0.5
        self.q_proj = nn.Linear(hidden_size, num_heads * self.head_dim)
        self.k_proj = nn.Linear(hidden_size, num_kv_heads * self.head_dim)
        self.v_proj = nn.Linear(hidden_size, num_kv_heads * self.head_dim)
        self.o_proj = nn.Linear(num_heads * self.head_dim, hidden_size)

    def forward(self, hidden_states, attention_mask):
        b, s, _ = hidden_states.shape
        shape = (b, s, -1, self.head_dim)
        q = self.q_proj(hidden_states).view(shape).transpose(1, 2)
        k = self.k_proj(hidden_states).view(shape).transpose(1, 2)
        v = self.v_proj(hidden_states).view(shape).transpose(1, 2)
        out, _ = eager_attention_forward(self, q, k, v, attention_mask, scaling=self.scaling)
        return self.o_proj(out.reshape(b, s, -1))


def sdpa_style_bool_mask(batch, seq_len):
    return torch.ones(seq_len, seq_len, dtype=torch.bool).tril()[None, None].expand(batch, 1, -1, -1)


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = Qwen3Attention()
    x = torch.randn(2, 6, 32)
    mask = sdpa_style_bool_mask(2, 6)
    x2 = x.clone(); x2[:, -1] = torch.randn(2, 32)
    with torch.no_grad():
        a, b = attn(x, mask), attn(x2, mask)
    print("prefix change when last token changes:", (a[:, :-1] - b[:, :-1]).abs().max().item())
