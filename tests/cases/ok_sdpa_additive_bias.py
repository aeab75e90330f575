"""The same additive causal bias used correctly: passed as a float, or compared with 0."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def build_causal_bias(seq_len, dtype, device):
    min_value = torch.finfo(dtype).min
    bias = torch.full((seq_len, seq_len), min_value, dtype=dtype, device=device)
    return torch.triu(bias, diagonal=1)


class ChunkedAttention(nn.Module):
    def __init__(self, hidden_size, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, use_bool_mask=False):
        bsz, q_len, _ = hidden_states.shape
        shape = (bsz, q_len, self.num_heads, self.head_dim)
        q = self.q_proj(hidden_states).view(shape).transpose(1, 2)
        k = self.k_proj(hidden_states).view(shape).transpose(1, 2)
        v = self.v_proj(hidden_states).view(shape).transpose(1, 2)
        causal_bias = build_causal_bias(q_len, q.dtype, q.device)
        if use_bool_mask:
            allowed = causal_bias[None, None, :, :] == 0
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        else:
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=causal_bias[None, None, :, :])
        return self.o_proj(out.transpose(1, 2).reshape(bsz, q_len, -1))
