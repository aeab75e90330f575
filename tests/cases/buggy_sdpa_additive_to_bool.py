"""An additive causal bias (0 = attend, finfo.min = blocked) turned into a bool for SDPA (P1-3).

``.bool()`` is True wherever the bias is non-zero, i.e. on the *blocked* positions; SDPA
attends where True, so the causal mask comes out inverted.
"""
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

    def forward(self, hidden_states):
        bsz, q_len, _ = hidden_states.shape
        shape = (bsz, q_len, self.num_heads, self.head_dim)
        q = self.q_proj(hidden_states).view(shape).transpose(1, 2)
        k = self.k_proj(hidden_states).view(shape).transpose(1, 2)
        v = self.v_proj(hidden_states).view(shape).transpose(1, 2)
        causal_bias = build_causal_bias(q_len, q.dtype, q.device)
        causal_mask = causal_bias[None, None, :, :].bool()
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=causal_mask)  # expect: ML102
        return self.o_proj(out.transpose(1, 2).reshape(bsz, q_len, -1))
