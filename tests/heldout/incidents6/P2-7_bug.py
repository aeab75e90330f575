"""Qwen3-style decoder with pluggable attention backends; the mask builder emits a boolean mask (True = attend)."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Qwen3Config:
    vocab_size: int = 96
    hidden_size: int = 32
    num_attention_heads: int = 4
    num_hidden_layers: int = 2
    attn_implementation: str = "eager"


def create_causal_mask(attention_mask: torch.Tensor, seq_len: int) -> torch.Tensor:
    causal = torch.tril(torch.ones(seq_len, seq_len, dtype=torch.bool, device=attention_mask.device))
    return causal[None, None] & attention_mask.bool()[:, None, None, :]


def eager_attention_forward(module, query, key, value, attention_mask, scaling, dropout=0.0):
    attn_weights = torch.matmul(query, key.transpose(2, 3)) * scaling
    if attention_mask is not None:
        causal_mask = attention_mask[:, :, :, : key.shape[-2]]
        attn_weights = attn_weights + causal_mask  # BUG
    attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query.dtype)
    attn_weights = F.dropout(attn_weights, p=dropout, training=module.training)
    return torch.matmul(attn_weights, value).transpose(1, 2).contiguous()


def sdpa_attention_forward(module, query, key, value, attention_mask, scaling, dropout=0.0):
    out = F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask, dropout_p=dropout, scale=scaling)
    return out.transpose(1, 2).contiguous()


ALL_ATTENTION_FUNCTIONS = {"eager": eager_attention_forward, "sdpa": sdpa_attention_forward}


class Qwen3Attention(nn.Module):
    def __init__(self, config: Qwen3Config):
        super().__init__()
        self.config = config
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.scaling = self.head_dim ** -0.5
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size)
        self.q_norm = nn.LayerNorm(self.head_dim)
        self.k_norm = nn.LayerNorm(self.head_dim)

    def forward(self, hidden_states, attention_mask):
        b, s, _ = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, s, 3, -1, self.head_dim).unbind(2)
        q, k, v = self.q_norm(q).transpose(1, 2), self.k_norm(k).transpose(1, 2), v.transpose(1, 2)
        fn = ALL_ATTENTION_FUNCTIONS[self.config.attn_implementation]
        out = fn(self, q, k, v, attention_mask, self.scaling)
        return self.o_proj(out.reshape(b, s, -1))


class Qwen3ForCausalLM(nn.Module):
    def __init__(self, config: Qwen3Config):
        super().__init__()
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([Qwen3Attention(config) for _ in range(config.num_hidden_layers)])
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        mask = create_causal_mask(attention_mask, input_ids.shape[1])
        h = self.embed_tokens(input_ids)
        for layer in self.layers:
            h = h + layer(h, mask)
        return self.lm_head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    for impl in ("eager", "sdpa"):
        model = Qwen3ForCausalLM(Qwen3Config(attn_implementation=impl))
        ids = torch.randint(0, 96, (2, 6))
        am = torch.tensor([[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]])
        print(impl, model(ids, am).shape)
