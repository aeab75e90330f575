from dataclasses import dataclass
from typing import Optional

import torch
from torch import nn


@dataclass
class LlamaConfig:
    vocab_size: int = 43
    hidden_size: int = 8
    num_attention_heads: int = 2
    num_hidden_layers: int = 2
    _attn_implementation: str = "sdpa"


def create_causal_mask(config, input_embeds, attention_mask: Optional[torch.Tensor], cache_position):
    """Returns None if the sdpa `is_causal` path can be used, else a boolean (b, 1, q, kv) mask (True = attend)."""
    batch_size, q_len = input_embeds.shape[:2]
    if attention_mask is None or bool(attention_mask.all()):
        return None
    kv_idx = torch.arange(attention_mask.shape[-1], device=input_embeds.device)
    causal = kv_idx[None, :] <= cache_position[:, None]
    mask = causal[None, None, :, :] & attention_mask.bool()[:, None, None, :]
    return mask  # BUG: rows of left-padding queries are all False


def sdpa_attention_forward(module, query, key, value, attention_mask, scaling):
    is_causal = query.shape[2] > 1 and attention_mask is None
    attn_output = torch.nn.functional.scaled_dot_product_attention(
        query, key, value, attn_mask=attention_mask, scale=scaling, is_causal=is_causal)  # BUG: NaN for all-False rows on flash / mem-efficient kernels
    return attn_output.transpose(1, 2).contiguous()


class LlamaAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.scaling = self.head_dim ** -0.5
        self.qkv_proj = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask):
        input_shape = hidden_states.shape[:-1]
        q, k, v = self.qkv_proj(hidden_states).view(*input_shape, 3, -1, self.head_dim).permute(2, 0, 3, 1, 4)
        attn_output = sdpa_attention_forward(self, q, k, v, attention_mask, self.scaling)
        return self.o_proj(attn_output.reshape(*input_shape, -1))


class LlamaModel(nn.Module):
    def __init__(self, config: LlamaConfig):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([LlamaAttention(config) for _ in range(config.num_hidden_layers)])
        self.norm = nn.RMSNorm(config.hidden_size)

    def forward(self, input_ids, attention_mask=None):
        inputs_embeds = self.embed_tokens(input_ids)
        cache_position = torch.arange(input_ids.shape[1], device=input_ids.device)
        causal_mask = create_causal_mask(self.config, inputs_embeds, attention_mask, cache_position)
        hidden_states = inputs_embeds
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, causal_mask)
        return self.norm(hidden_states)


def run():
    model = LlamaModel(LlamaConfig())
    input_ids = torch.tensor([[3, 4, 5, 6, 7], [0, 0, 8, 9, 10]])
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]])
    with torch.no_grad():
        return model(input_ids, attention_mask=attention_mask)
