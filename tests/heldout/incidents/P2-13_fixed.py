import math

import torch
import torch.nn.functional as F
from torch import nn


def _prepare_attn_mask(attention_mask, seq_length):
    """bool (batch, 1, q, kv); True = position may NOT be attended (causal or padding)."""
    causal = torch.triu(torch.ones(seq_length, seq_length, dtype=torch.bool, device=attention_mask.device), diagonal=1)
    padding = ~attention_mask.bool()[:, None, None, :]
    return causal[None, None] | padding


class Attention(nn.Module):
    def __init__(self, hidden_size, n_head, alibi=False):
        super().__init__()
        self.num_heads = n_head
        self.head_dim = hidden_size // n_head
        self.alibi = alibi
        self.inv_norm_factor = 1.0 / math.sqrt(self.head_dim)
        self.query_key_value = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.dense = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask, alibi=None):
        batch_size, q_length, _ = hidden_states.shape
        fused_qkv = self.query_key_value(hidden_states)
        fused_qkv = fused_qkv.view(batch_size, q_length, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        query_layer, key_layer, value_layer = fused_qkv[0], fused_qkv[1], fused_qkv[2]

        attention_mask_float = (attention_mask * 1.0).masked_fill(attention_mask, -1e9).to(query_layer.dtype)
        if alibi is None:
            attn_output = F.scaled_dot_product_attention(
                query_layer, key_layer, value_layer, attention_mask_float, 0.0, is_causal=False)
        else:
            scores = query_layer @ key_layer.transpose(-1, -2)
            attention_probs = F.softmax((scores + alibi) * self.inv_norm_factor + attention_mask_float, dim=-1,
                                        dtype=hidden_states.dtype)
            attn_output = attention_probs @ value_layer

        attn_output = attn_output.transpose(1, 2).reshape(batch_size, q_length, -1)
        return self.dense(attn_output)


class RWBlock(nn.Module):
    def __init__(self, hidden_size=8, n_head=2):
        super().__init__()
        self.input_layernorm = nn.LayerNorm(hidden_size)
        self.self_attention = Attention(hidden_size, n_head)
        self.mlp = nn.Sequential(nn.Linear(hidden_size, 4 * hidden_size), nn.GELU(), nn.Linear(4 * hidden_size, hidden_size))

    def forward(self, hidden_states, attention_mask):
        ln = self.input_layernorm(hidden_states)
        return hidden_states + self.self_attention(ln, attention_mask) + self.mlp(ln)


def run():
    block = RWBlock()
    hidden_states = torch.randn(2, 5, 8)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]])  # left padding for generation
    causal_mask = _prepare_attn_mask(attention_mask, 5)
    return block(hidden_states, causal_mask)
