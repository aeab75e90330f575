import math

import torch
import torch.nn.functional as F
from torch import nn


class RWConfig:
    def __init__(self, hidden_size=64, n_head=4, n_layer=2, vocab_size=512, alibi=False):
        self.hidden_size = hidden_size
        self.n_head = n_head
        self.n_layer = n_layer
        self.vocab_size = vocab_size
        self.alibi = alibi


def _make_causal_mask(input_ids_shape, device, past_key_values_length=0):
    batch_size, target_length = input_ids_shape
    mask = torch.empty((target_length, target_length + past_key_values_length), dtype=torch.bool, device=device)
    seq_ids = torch.arange(target_length, device=device)
    mask[:, past_key_values_length:] = seq_ids[:, None] < seq_ids[None, :]
    mask[:, :past_key_values_length] = False
    return mask[None, None, :, :].expand(batch_size, 1, target_length, target_length + past_key_values_length)


def _expand_mask(mask, tgt_length):
    batch_size, src_length = mask.shape
    return (~(mask[:, None, None, :].to(torch.bool))).expand(batch_size, 1, tgt_length, src_length)


class Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.n_head
        self.head_dim = config.hidden_size // config.n_head
        self.query_key_value = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.dense = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.inv_norm_factor = 1.0 / math.sqrt(self.head_dim)

    def forward(self, hidden_states, alibi, attention_mask):
        b, q_len, _ = hidden_states.shape
        qkv = self.query_key_value(hidden_states).view(b, q_len, 3, self.num_heads, self.head_dim)
        query_layer, key_layer, value_layer = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        attention_mask_float = (attention_mask * 1.0).masked_fill(attention_mask, float("-1e9")).to(torch.bfloat16)  # BUG
        if alibi is None:
            attn_output = F.scaled_dot_product_attention(query_layer, key_layer, value_layer, None, 0.0, is_causal=True)  # BUG
        else:
            scores = query_layer @ key_layer.transpose(-1, -2) * self.inv_norm_factor
            scores = scores + alibi.view(b, self.num_heads, 1, -1) + attention_mask_float
            attn_output = F.softmax(scores, dim=-1, dtype=hidden_states.dtype) @ value_layer
        return self.dense(attn_output.transpose(1, 2).reshape(b, q_len, -1))


class RWModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.h = nn.ModuleList([Attention(config) for _ in range(config.n_layer)])
        self.ln_f = nn.LayerNorm(config.hidden_size)

    def _prepare_attn_mask(self, attention_mask, input_shape):
        combined = _make_causal_mask(input_shape, attention_mask.device) if input_shape[-1] > 1 else None
        expanded = _expand_mask(attention_mask, tgt_length=input_shape[-1])
        return expanded if combined is None else expanded | combined

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        hidden_states = self.word_embeddings(input_ids)
        causal_mask = self._prepare_attn_mask(attention_mask, input_ids.shape)
        for block in self.h:
            hidden_states = hidden_states + block(hidden_states, None, causal_mask)
        return self.ln_f(hidden_states)
