"""Gemma-style decoder block used by the fast inference patch (SDPA only)."""
import math

import torch
import torch.nn.functional as F
from torch import nn


class GemmaRMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float = 1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.zeros(dim))

    def forward(self, x):
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return x * (1.0 + self.weight)


def prepare_4d_causal_attention_mask_for_sdpa(attention_mask, input_shape, device):
    """Combine the tokenizer mask (1 = token, int64) with a causal mask for SDPA."""
    bsz, q_len = input_shape
    causal = torch.tril(torch.ones(q_len, q_len, dtype=torch.bool, device=device))
    if attention_mask is None:
        return None
    expanded = attention_mask[:, None, None, :] * causal[None, None]  # BUG: int64 * bool stays int64; SDPA only takes a bool or float mask (RuntimeError)
    return expanded


class GemmaDecoderLayer(nn.Module):
    def __init__(self, hidden_size=64, num_heads=4, intermediate_size=128):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.input_layernorm = GemmaRMSNorm(hidden_size)
        self.qkv_proj = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.post_attention_layernorm = GemmaRMSNorm(hidden_size)
        self.gate_proj = nn.Linear(hidden_size, intermediate_size, bias=False)
        self.up_proj = nn.Linear(hidden_size, intermediate_size, bias=False)
        self.down_proj = nn.Linear(intermediate_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.shape
        residual = hidden_states
        h = self.input_layernorm(hidden_states)
        q, k, v = self.qkv_proj(h).view(bsz, q_len, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        mask = prepare_4d_causal_attention_mask_for_sdpa(attention_mask, (bsz, q_len), h.device)
        attn = F.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, is_causal=mask is None, scale=1.0 / math.sqrt(self.head_dim))
        h = residual + self.o_proj(attn.transpose(1, 2).reshape(bsz, q_len, -1))
        residual = h
        h = self.post_attention_layernorm(h)
        h = self.down_proj(F.gelu(self.gate_proj(h), approximate="tanh") * self.up_proj(h))
        return residual + h
