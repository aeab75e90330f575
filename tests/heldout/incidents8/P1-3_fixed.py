from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class Llama4TextConfig:
    hidden_size: int = 64
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    attention_dropout: float = 0.0


def repeat_kv(hidden_states, n_rep):
    b, kvh, s, d = hidden_states.shape
    if n_rep == 1:
        return hidden_states
    return hidden_states[:, :, None].expand(b, kvh, n_rep, s, d).reshape(b, kvh * n_rep, s, d)


def sdpa_attention_forward(module, query, key, value, attention_mask, dropout=0.0, scaling=None):
    key = repeat_kv(key, module.num_key_value_groups)
    value = repeat_kv(value, module.num_key_value_groups)
    causal_mask = attention_mask
    if attention_mask is not None:
        causal_mask = causal_mask[:, :, :, : key.shape[-2]]
        if causal_mask.dtype != torch.bool:
            causal_mask = causal_mask == 0
    attn_output = F.scaled_dot_product_attention(
        query, key, value, attn_mask=causal_mask, dropout_p=dropout, scale=scaling
    )
    return attn_output.transpose(1, 2).contiguous()


class Llama4TextAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.num_key_value_groups = config.num_attention_heads // config.num_key_value_heads
        self.scaling = self.head_dim**-0.5
        self.q_proj = nn.Linear(config.hidden_size, config.num_attention_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, config.num_key_value_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, config.num_key_value_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(config.num_attention_heads * self.head_dim, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        input_shape = hidden_states.shape[:-1]
        hidden_shape = (*input_shape, -1, self.head_dim)
        q = self.q_proj(hidden_states).view(hidden_shape).transpose(1, 2)
        k = self.k_proj(hidden_states).view(hidden_shape).transpose(1, 2)
        v = self.v_proj(hidden_states).view(hidden_shape).transpose(1, 2)
        out = sdpa_attention_forward(self, q, k, v, attention_mask, scaling=self.scaling)
        return self.o_proj(out.reshape(*input_shape, -1))


def build_causal_mask(attention_mask, dtype, seq_len):
    min_dtype = torch.finfo(dtype).min
    causal = torch.full((seq_len, seq_len), min_dtype, dtype=dtype).triu(1)
    causal = causal[None, None].expand(attention_mask.shape[0], 1, -1, -1).clone()
    padding = attention_mask[:, None, None, :] == 0
    return causal.masked_fill(padding, min_dtype)


if __name__ == "__main__":
    cfg = Llama4TextConfig()
    attn = Llama4TextAttention(cfg)
    x = torch.randn(2, 6, cfg.hidden_size)
    am = torch.ones(2, 6, dtype=torch.long)
    am[1, :2] = 0
    print(attn(x, build_causal_mask(am, x.dtype, 6)).shape)
