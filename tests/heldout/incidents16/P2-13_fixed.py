# port of the RefinedWeb model attention (modelling_RW.py style)
import math
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


def _make_causal_mask(input_ids_shape: torch.Size, device: torch.device) -> torch.BoolTensor:
    batch_size, target_length = input_ids_shape
    mask = torch.empty((target_length, target_length), dtype=torch.bool, device=device)
    seq_ids = torch.arange(target_length, device=device)
    mask[:, 0:] = seq_ids[:, None] < seq_ids[None, :]
    return mask[None, None, :, :].expand(batch_size, 1, target_length, target_length)


def _expand_mask(mask: torch.Tensor, tgt_length: int) -> torch.BoolTensor:
    batch_size, src_length = mask.shape
    expanded_mask = ~(mask[:, None, None, :].to(torch.bool))
    return expanded_mask.expand(batch_size, 1, tgt_length, src_length)


def prepare_attn_mask(attention_mask: torch.Tensor, input_shape) -> torch.BoolTensor:
    # True = this key is hidden from the query (causal or left padding)
    combined_attention_mask = _make_causal_mask(input_shape, attention_mask.device)
    expanded_attn_mask = _expand_mask(attention_mask, tgt_length=input_shape[-1])
    return expanded_attn_mask | combined_attention_mask


class Attention(nn.Module):
    def __init__(self, hidden_size=64, n_head=4, use_sdpa=True):
        super().__init__()
        self.num_heads = n_head
        self.head_dim = hidden_size // n_head
        self.inv_norm_factor = 1.0 / math.sqrt(self.head_dim)
        self.use_sdpa = use_sdpa
        self.query_key_value = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.dense = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states: torch.Tensor, attention_mask: torch.Tensor, layer_past: Optional[tuple] = None):
        batch_size, q_length, _ = hidden_states.shape
        fused_qkv = self.query_key_value(hidden_states)
        fused_qkv = fused_qkv.view(batch_size, q_length, 3, self.num_heads, self.head_dim)
        query_layer, key_layer, value_layer = fused_qkv.permute(2, 0, 3, 1, 4)

        attention_mask_float = (attention_mask * 1.0).masked_fill(attention_mask, -1e9).to(query_layer.dtype)

        if self.use_sdpa:
            attn_output = F.scaled_dot_product_attention(query_layer, key_layer, value_layer, attention_mask_float, 0.0, is_causal=False)
        else:
            attention_scores = query_layer @ key_layer.transpose(-1, -2) * self.inv_norm_factor
            attention_probs = F.softmax(attention_scores + attention_mask_float, dim=-1)
            attn_output = attention_probs @ value_layer

        attn_output = attn_output.transpose(1, 2).reshape(batch_size, q_length, -1)
        return self.dense(attn_output)


class RWBlock(nn.Module):
    def __init__(self, hidden_size=64, n_head=4):
        super().__init__()
        self.input_layernorm = nn.LayerNorm(hidden_size)
        self.self_attention = Attention(hidden_size, n_head)
        self.mlp = nn.Sequential(nn.Linear(hidden_size, 4 * hidden_size), nn.GELU(), nn.Linear(4 * hidden_size, hidden_size))

    def forward(self, hidden_states, attention_mask_2d):
        causal_mask = prepare_attn_mask(attention_mask_2d, hidden_states.shape[:2])
        ln = self.input_layernorm(hidden_states)
        attn = self.self_attention(ln, causal_mask)
        return hidden_states + attn + self.mlp(ln)
