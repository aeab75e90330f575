from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


class Qwen3Config:
    hidden_size = 32
    num_attention_heads = 4
    num_key_value_heads = 2
    head_dim = 8
    rms_norm_eps = 1e-6
    vocab_size = 64
    attention_dropout = 0.0


def repeat_kv(hidden_states, n_rep):
    b, kvh, s, d = hidden_states.shape
    return hidden_states[:, :, None].expand(b, kvh, n_rep, s, d).reshape(b, kvh * n_rep, s, d)


def eager_attention_forward(module, query, key, value, attention_mask: Optional[torch.Tensor], scaling, dropout=0.0):
    key_states = repeat_kv(key, module.num_key_value_groups)
    value_states = repeat_kv(value, module.num_key_value_groups)
    attn_weights = torch.matmul(query, key_states.transpose(2, 3)) * scaling
    if attention_mask is not None:
        causal_mask = attention_mask[:, :, :, : key_states.shape[-2]]
        attn_weights = attn_weights + causal_mask  # BUG
    attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query.dtype)
    attn_weights = F.dropout(attn_weights, p=dropout, training=module.training)
    return torch.matmul(attn_weights, value_states).transpose(1, 2).contiguous()


def sdpa_attention_forward(module, query, key, value, attention_mask, scaling, dropout=0.0):
    key = repeat_kv(key, module.num_key_value_groups)
    value = repeat_kv(value, module.num_key_value_groups)
    out = F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask, scale=scaling)
    return out.transpose(1, 2).contiguous()


ATTENTION_FUNCTIONS = {"eager": eager_attention_forward, "sdpa": sdpa_attention_forward}


class Qwen3Attention(nn.Module):
    def __init__(self, config, attn_implementation="sdpa"):
        super().__init__()
        self.head_dim = config.head_dim
        self.num_key_value_groups = config.num_attention_heads // config.num_key_value_heads
        self.scaling = self.head_dim ** -0.5
        self.attn_implementation = attn_implementation
        self.q_proj = nn.Linear(config.hidden_size, config.num_attention_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, config.num_key_value_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, config.num_key_value_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(config.num_attention_heads * self.head_dim, config.hidden_size, bias=False)
        self.q_norm = nn.RMSNorm(self.head_dim, eps=config.rms_norm_eps)
        self.k_norm = nn.RMSNorm(self.head_dim, eps=config.rms_norm_eps)

    def forward(self, hidden_states, attention_mask):
        input_shape = hidden_states.shape[:-1]
        hidden_shape = (*input_shape, -1, self.head_dim)
        q = self.q_norm(self.q_proj(hidden_states).view(hidden_shape)).transpose(1, 2)
        k = self.k_norm(self.k_proj(hidden_states).view(hidden_shape)).transpose(1, 2)
        v = self.v_proj(hidden_states).view(hidden_shape).transpose(1, 2)
        attention_interface = ATTENTION_FUNCTIONS[self.attn_implementation]
        out = attention_interface(self, q, k, v, attention_mask, self.scaling)
        return self.o_proj(out.reshape(*input_shape, -1))


def sdpa_mask(batch_size, seq_len, padding_mask):
    causal = torch.ones(seq_len, seq_len, dtype=torch.bool).tril()
    return causal[None, None] & padding_mask[:, None, None, :].bool()


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = Qwen3Config()
    eager, sdpa = Qwen3Attention(cfg, "eager"), Qwen3Attention(cfg, "sdpa")
    sdpa.load_state_dict(eager.state_dict())
    x = torch.randn(2, 7, cfg.hidden_size)
    pad = torch.tensor([[1] * 7, [0, 0] + [1] * 5])
    mask = sdpa_mask(2, 7, pad)
    with torch.no_grad():
        gap = (eager(x, mask) - sdpa(x, mask))[1, 2:].abs().max().item()
        gap0 = (eager(x, mask) - sdpa(x, mask))[0].abs().max().item()
    print(f"eager vs sdpa with bool mask: max diff sample0 = {gap0:.4f}, sample1 (real tokens) = {gap:.4f}")
