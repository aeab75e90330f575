"""Llama4-style text attention with eager and sdpa implementations."""
import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Llama4TextConfig:
    vocab_size: int = 128
    hidden_size: int = 64
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    num_hidden_layers: int = 2
    attn_implementation: str = "sdpa"


def repeat_kv(hidden_states, n_rep):
    if n_rep == 1:
        return hidden_states
    b, h, s, d = hidden_states.shape
    return hidden_states[:, :, None].expand(b, h, n_rep, s, d).reshape(b, h * n_rep, s, d)


def eager_attention_forward(module, query, key, value, attention_mask, scaling):
    key = repeat_kv(key, module.num_key_value_groups)
    value = repeat_kv(value, module.num_key_value_groups)
    attn_weights = torch.matmul(query, key.transpose(2, 3)) * scaling
    if attention_mask is not None:
        attn_weights = attn_weights + attention_mask[:, :, :, : key.shape[-2]]
    attn_weights = F.softmax(attn_weights.float(), dim=-1).to(query.dtype)
    return torch.matmul(attn_weights, value).transpose(1, 2).contiguous()


def sdpa_attention_forward(module, query, key, value, attention_mask, scaling):
    key = repeat_kv(key, module.num_key_value_groups)
    value = repeat_kv(value, module.num_key_value_groups)
    if attention_mask is not None and attention_mask.dtype != torch.bool:
        attention_mask = attention_mask == 0
    out = F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask, scale=scaling)
    return out.transpose(1, 2).contiguous()


ATTENTION_FUNCTIONS = {"eager": eager_attention_forward, "sdpa": sdpa_attention_forward}


class Llama4TextAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.num_key_value_groups = config.num_attention_heads // config.num_key_value_heads
        self.scaling = self.head_dim ** -0.5
        self.q_proj = nn.Linear(config.hidden_size, config.num_attention_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, config.num_key_value_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, config.num_key_value_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(config.num_attention_heads * self.head_dim, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        b, s, _ = hidden_states.shape
        q = self.q_proj(hidden_states).view(b, s, -1, self.head_dim).transpose(1, 2)
        k = self.k_proj(hidden_states).view(b, s, -1, self.head_dim).transpose(1, 2)
        v = self.v_proj(hidden_states).view(b, s, -1, self.head_dim).transpose(1, 2)
        attn_fn = ATTENTION_FUNCTIONS[self.config.attn_implementation]
        out = attn_fn(self, q, k, v, attention_mask, self.scaling)
        return self.o_proj(out.reshape(b, s, -1))


class Llama4TextModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([Llama4TextAttention(config) for _ in range(config.num_hidden_layers)])
        self.norm = nn.LayerNorm(config.hidden_size)

    def _update_causal_mask(self, attention_mask, input_tensor):
        dtype = input_tensor.dtype
        min_dtype = torch.finfo(dtype).min
        b, seq_len = input_tensor.shape[:2]
        causal_mask = torch.full((seq_len, seq_len), fill_value=min_dtype, dtype=dtype)
        causal_mask = torch.triu(causal_mask, diagonal=1)
        causal_mask = causal_mask[None, None, :, :].expand(b, 1, -1, -1).clone()
        if attention_mask is not None:
            padding = attention_mask[:, None, None, :] == 0
            causal_mask = causal_mask.masked_fill(padding, min_dtype)
        return causal_mask

    def forward(self, input_ids, attention_mask=None):
        h = self.embed_tokens(input_ids)
        causal_mask = self._update_causal_mask(attention_mask, h)
        for layer in self.layers:
            h = h + layer(h, causal_mask)
        return self.norm(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = Llama4TextConfig()
    model = Llama4TextModel(cfg).eval()
    ids = torch.randint(0, cfg.vocab_size, (2, 7))
    am = torch.ones(2, 7, dtype=torch.long)
    am[1, 5:] = 0
    with torch.no_grad():
        out = model(ids, am)
    print(out.shape)
