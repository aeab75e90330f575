import math
from typing import Optional

import torch
from torch import nn


def _prepare_4d_causal_attention_mask(attention_mask: Optional[torch.Tensor], input_shape, inputs_embeds):
    """Additive (bsz, 1, q_len, kv_len) mask combining causality and padding."""
    bsz, q_len = input_shape
    dtype = inputs_embeds.dtype
    min_dtype = torch.finfo(dtype).min
    causal = torch.triu(torch.full((q_len, q_len), min_dtype, dtype=dtype, device=inputs_embeds.device), diagonal=1)
    mask = causal[None, None].expand(bsz, 1, -1, -1)
    if attention_mask is not None:
        mask = mask.masked_fill(attention_mask[:, None, None, :] == 0, min_dtype)
    return mask


class HunYuanAttention(nn.Module):
    def __init__(self, hidden_size=8, num_heads=2):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.qkv_proj = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.shape
        q, k, v = self.qkv_proj(hidden_states).view(bsz, q_len, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        attn_weights = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
        if attention_mask is not None:
            attn_weights = attn_weights + attention_mask
        attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)  # BUG: no mask at all -> bidirectional
        attn_output = torch.matmul(attn_weights, v).transpose(1, 2).reshape(bsz, q_len, -1)
        return self.o_proj(attn_output)


class HunYuanModel(nn.Module):
    def __init__(self, vocab_size=31, hidden_size=8, num_layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList([HunYuanAttention(hidden_size) for _ in range(num_layers)])
        self.lm_head = nn.Linear(hidden_size, vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        inputs_embeds = self.embed_tokens(input_ids)
        if attention_mask is not None:
            attention_mask = _prepare_4d_causal_attention_mask(attention_mask, input_ids.shape, inputs_embeds)  # BUG: causal mask only built when a padding mask is passed
        hidden_states = inputs_embeds
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, attention_mask=attention_mask)
        return self.lm_head(hidden_states)


def run():
    model = HunYuanModel()
    input_ids = torch.randint(0, 31, (2, 5))
    return model(input_ids)  # as generate() calls it when the user passes no attention_mask
