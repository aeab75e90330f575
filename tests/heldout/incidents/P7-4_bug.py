import math

import torch
import torch.nn.functional as F
from torch import nn


def _prepare_4d_causal_attention_mask(attention_mask, input_shape, dtype, device):
    """(bsz, 1, q_len, kv_len) additive mask: 0 to attend, finfo(dtype).min to mask."""
    bsz, q_len = input_shape
    min_dtype = torch.finfo(dtype).min
    causal = torch.triu(torch.full((q_len, q_len), min_dtype, dtype=dtype, device=device), diagonal=1)
    expanded = causal[None, None].expand(bsz, 1, q_len, q_len).clone()
    padding = attention_mask[:, None, None, :].to(torch.bool)
    expanded = expanded.masked_fill(~padding, min_dtype)
    return expanded  # BUG: left-padded query rows are entirely finfo.min


class FalconAttention(nn.Module):
    def __init__(self, hidden_size=8, num_heads=2):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.query_key_value = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.dense = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        bsz, q_len, _ = hidden_states.shape
        qkv = self.query_key_value(hidden_states).view(bsz, q_len, 3, self.num_heads, self.head_dim)
        query, key, value = qkv.permute(2, 0, 3, 1, 4)
        attn_output = F.scaled_dot_product_attention(
            query, key, value, attn_mask=attention_mask, dropout_p=0.0, is_causal=False)  # BUG: fully masked rows -> NaN on mem-efficient/flash kernels
        return self.dense(attn_output.transpose(1, 2).reshape(bsz, q_len, -1))


class FalconModel(nn.Module):
    def __init__(self, vocab_size=37, hidden_size=8, num_layers=2):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab_size, hidden_size)
        self.h = nn.ModuleList([FalconAttention(hidden_size) for _ in range(num_layers)])
        self.ln_f = nn.LayerNorm(hidden_size)

    def forward(self, input_ids, attention_mask):
        hidden_states = self.word_embeddings(input_ids)
        mask = _prepare_4d_causal_attention_mask(attention_mask, input_ids.shape, hidden_states.dtype, input_ids.device)
        for block in self.h:
            hidden_states = hidden_states + block(hidden_states, mask)
        return self.ln_f(hidden_states)


def run():
    model = FalconModel()
    input_ids = torch.tensor([[4, 5, 6, 7, 8], [0, 0, 9, 10, 11]])
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]])  # left padding for batched generation
    with torch.no_grad():
        return model(input_ids, attention_mask)
