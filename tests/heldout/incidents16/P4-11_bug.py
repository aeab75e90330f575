"""GPT-2 attention with a fused-kernel path (SDPA) for batched, padded generation."""
import math
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


class Conv1D(nn.Module):
    """Linear layer with transposed weights, as in the original GPT-2 checkpoints."""

    def __init__(self, nf, nx):
        super().__init__()
        self.nf = nf
        self.weight = nn.Parameter(torch.empty(nx, nf).normal_(std=0.02))
        self.bias = nn.Parameter(torch.zeros(nf))

    def forward(self, x):
        size_out = x.size()[:-1] + (self.nf,)
        return torch.addmm(self.bias, x.view(-1, x.size(-1)), self.weight).view(size_out)


class GPT2Attention(nn.Module):
    def __init__(self, embed_dim=48, num_heads=4):
        super().__init__()
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.c_attn = Conv1D(3 * embed_dim, embed_dim)
        self.c_proj = Conv1D(embed_dim, embed_dim)

    def _split_heads(self, tensor):
        new_shape = tensor.size()[:-1] + (self.num_heads, self.head_dim)
        return tensor.view(new_shape).permute(0, 2, 1, 3)

    def forward(self, hidden_states: torch.Tensor, attention_mask: Optional[torch.Tensor] = None):
        query, key, value = self.c_attn(hidden_states).split(self.embed_dim, dim=2)
        query, key, value = map(self._split_heads, (query, key, value))
        q_len = query.shape[-2]

        if attention_mask is not None:
            # (batch, kv_len) padding mask, 1 = token
            attn_mask = attention_mask[:, None, None, :].bool()  # BUG: a padding mask is present, so is_causal is turned off below, but the causal part is never merged into attn_mask
            is_causal = False
        else:
            attn_mask = None
            is_causal = q_len > 1

        attn_output = F.scaled_dot_product_attention(
            query, key, value, attn_mask=attn_mask, is_causal=is_causal, scale=1.0 / math.sqrt(self.head_dim))
        attn_output = attn_output.permute(0, 2, 1, 3).reshape(hidden_states.shape)
        return self.c_proj(attn_output)


class GPT2Block(nn.Module):
    def __init__(self, embed_dim=48, num_heads=4):
        super().__init__()
        self.ln_1 = nn.LayerNorm(embed_dim)
        self.attn = GPT2Attention(embed_dim, num_heads)
        self.ln_2 = nn.LayerNorm(embed_dim)
        self.mlp = nn.Sequential(Conv1D(4 * embed_dim, embed_dim), nn.GELU(approximate="tanh"), Conv1D(embed_dim, 4 * embed_dim))

    def forward(self, hidden_states, attention_mask=None):
        hidden_states = hidden_states + self.attn(self.ln_1(hidden_states), attention_mask)
        return hidden_states + self.mlp(self.ln_2(hidden_states))
