import math
from typing import Optional

import torch
from torch import nn


class HunYuanConfig:
    vocab_size = 90
    hidden_size = 32
    num_attention_heads = 4
    num_hidden_layers = 2
    intermediate_size = 64
    _attn_implementation = "eager"


def _prepare_4d_causal_attention_mask(attention_mask: Optional[torch.Tensor], input_shape, inputs_embeds, past_key_values_length: int):
    bsz, tgt_len = input_shape
    dtype = inputs_embeds.dtype
    src_len = tgt_len + past_key_values_length
    min_val = torch.finfo(dtype).min
    causal = torch.full((tgt_len, src_len), min_val, dtype=dtype).triu(past_key_values_length + 1)
    causal = causal[None, None].expand(bsz, 1, tgt_len, src_len)
    if attention_mask is None:
        return causal
    pad = (1.0 - attention_mask[:, None, None, :].to(dtype)) * min_val
    return (causal + pad).clamp(min=min_val)


class HunYuanAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // self.num_heads
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.query_layernorm = nn.LayerNorm(self.head_dim)
        self.key_layernorm = nn.LayerNorm(self.head_dim)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.size()
        q, k, v = self.qkv(hidden_states).view(bsz, q_len, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k = self.query_layernorm(q), self.key_layernorm(k)
        attn_weights = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
        if attention_mask is not None:
            attn_weights = attn_weights + attention_mask
        attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        attn_output = torch.matmul(attn_weights, v).transpose(1, 2).reshape(bsz, q_len, -1)
        return self.o_proj(attn_output)


class HunYuanDecoderLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.self_attn = HunYuanAttention(config)
        self.mlp = nn.Sequential(nn.Linear(config.hidden_size, config.intermediate_size), nn.SiLU(), nn.Linear(config.intermediate_size, config.hidden_size))
        self.input_layernorm = nn.LayerNorm(config.hidden_size)
        self.post_attention_layernorm = nn.LayerNorm(config.hidden_size)

    def forward(self, hidden_states, attention_mask=None):
        hidden_states = hidden_states + self.self_attn(self.input_layernorm(hidden_states), attention_mask)
        return hidden_states + self.mlp(self.post_attention_layernorm(hidden_states))


class HunYuanForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([HunYuanDecoderLayer(config) for _ in range(config.num_hidden_layers)])
        self.norm = nn.LayerNorm(config.hidden_size)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None, past_key_values_length=0):
        batch_size, seq_length = input_ids.shape
        inputs_embeds = self.embed_tokens(input_ids)
        causal_mask = None
        if attention_mask is not None:  # BUG
            causal_mask = _prepare_4d_causal_attention_mask(attention_mask, (batch_size, seq_length), inputs_embeds, past_key_values_length)
        hidden_states = inputs_embeds
        for decoder_layer in self.layers:
            hidden_states = decoder_layer(hidden_states, attention_mask=causal_mask)
        return self.lm_head(self.norm(hidden_states))

    @torch.no_grad()
    def generate(self, input_ids, attention_mask=None, max_new_tokens=4):
        for _ in range(max_new_tokens):
            logits = self(input_ids, attention_mask=attention_mask)
            next_token = logits[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, next_token], dim=-1)
            if attention_mask is not None:
                attention_mask = torch.cat([attention_mask, torch.ones_like(next_token)], dim=-1)
        return input_ids


if __name__ == "__main__":
    torch.manual_seed(0)
    model = HunYuanForCausalLM(HunYuanConfig()).eval()
    prompt = torch.randint(0, 90, (1, 7))
    changed = prompt.clone()
    changed[0, -1] = (changed[0, -1] + 1) % 90
    with torch.no_grad():
        d = (model(prompt)[:, :-1] - model(changed)[:, :-1]).abs().max().item()
    print(f"prefill prefix change when last prompt token changes (no attention_mask passed): {d:.3e}")
