import math

import torch
import torch.nn.functional as F
from torch import nn


class GemmaConfig:
    vocab_size = 320
    hidden_size = 64
    num_attention_heads = 4
    head_dim = 16
    num_hidden_layers = 2
    rms_norm_eps = 1e-6


def _prepare_4d_causal_attention_mask_for_sdpa(attention_mask, input_shape, inputs_embeds, past_key_values_length):
    bsz, q_len = input_shape
    kv_len = q_len + past_key_values_length
    if attention_mask is None:
        return None
    causal = torch.ones(q_len, kv_len, dtype=torch.bool, device=inputs_embeds.device)
    causal = causal.tril(diagonal=past_key_values_length)
    expanded = causal[None, None, :, :] & attention_mask[:, None, None, :kv_len].bool()
    return expanded


class GemmaFastAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.n_heads, self.head_dim = config.num_attention_heads, config.head_dim
        self.q_proj = nn.Linear(config.hidden_size, self.n_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, self.n_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, self.n_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(self.n_heads * self.head_dim, config.hidden_size, bias=False)

    def forward(self, hidden_states, causal_mask=None):
        bsz, q_len, _ = hidden_states.shape
        q = self.q_proj(hidden_states).view(bsz, q_len, self.n_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(hidden_states).view(bsz, q_len, self.n_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(hidden_states).view(bsz, q_len, self.n_heads, self.head_dim).transpose(1, 2)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=causal_mask, is_causal=causal_mask is None and q_len > 1)
        return self.o_proj(out.transpose(1, 2).reshape(bsz, q_len, -1))


class GemmaModel_fast_forward(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([GemmaFastAttention(config) for _ in range(config.num_hidden_layers)])

    def forward(self, input_ids, attention_mask=None, past_key_values_length=0):
        inputs_embeds = self.embed_tokens(input_ids) * math.sqrt(self.config.hidden_size)
        causal_mask = _prepare_4d_causal_attention_mask_for_sdpa(
            attention_mask, input_ids.shape, inputs_embeds, past_key_values_length
        )
        hidden_states = inputs_embeds
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, causal_mask=causal_mask)
        return hidden_states


def forward_batch(model, tokenizer_batch):
    return model(tokenizer_batch["input_ids"], attention_mask=tokenizer_batch["attention_mask"])
