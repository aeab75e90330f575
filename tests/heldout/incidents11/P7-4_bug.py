import math
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


class FalconConfig:
    vocab_size = 64
    hidden_size = 32
    num_attention_heads = 4
    num_hidden_layers = 2
    layer_norm_epsilon = 1e-5
    _attn_implementation = "sdpa"


def _prepare_4d_causal_attention_mask(attention_mask, input_shape, inputs_embeds, past_key_values_length=0):
    bsz, tgt_len = input_shape
    dtype = inputs_embeds.dtype
    min_dtype = torch.finfo(dtype).min
    src_len = tgt_len + past_key_values_length
    causal = torch.full((tgt_len, src_len), min_dtype, dtype=dtype).triu(past_key_values_length + 1)
    causal = causal[None, None].expand(bsz, 1, tgt_len, src_len).clone()
    if attention_mask is not None:
        padding = attention_mask[:, None, None, :].eq(0)
        causal = causal.masked_fill(padding, min_dtype)
    return causal


def _unmask_unattended(expanded_mask: torch.Tensor, min_dtype: float) -> torch.Tensor:
    return expanded_mask.mul(~torch.all(expanded_mask == min_dtype, dim=-1, keepdim=True))


class FalconAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // self.num_heads
        self.query_key_value = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.dense = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.fully_masked_rows = 0

    def forward(self, hidden_states, attention_mask: Optional[torch.Tensor]):
        b, s, _ = hidden_states.shape
        q, k, v = self.query_key_value(hidden_states).view(b, s, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        if attention_mask is not None:
            self.fully_masked_rows = int((attention_mask == torch.finfo(q.dtype).min).all(-1).sum())
        attn_output = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask, dropout_p=0.0, is_causal=False)
        return self.dense(attn_output.transpose(1, 2).reshape(b, s, -1))


class FalconDecoderLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.input_layernorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_epsilon)
        self.self_attention = FalconAttention(config)
        self.mlp = nn.Sequential(nn.Linear(config.hidden_size, 4 * config.hidden_size), nn.GELU(), nn.Linear(4 * config.hidden_size, config.hidden_size))

    def forward(self, hidden_states, attention_mask):
        ln = self.input_layernorm(hidden_states)
        return hidden_states + self.self_attention(ln, attention_mask) + self.mlp(ln)


class FalconModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.h = nn.ModuleList([FalconDecoderLayer(config) for _ in range(config.num_hidden_layers)])
        self.ln_f = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_epsilon)

    def forward(self, input_ids, attention_mask=None):
        inputs_embeds = self.word_embeddings(input_ids)
        batch_size, seq_length = input_ids.shape
        min_dtype = torch.finfo(inputs_embeds.dtype).min
        if self.config._attn_implementation == "sdpa":
            attention_mask = _prepare_4d_causal_attention_mask(attention_mask, (batch_size, seq_length), inputs_embeds)  # BUG
        hidden_states = inputs_embeds
        for block in self.h:
            hidden_states = block(hidden_states, attention_mask)
        return self.ln_f(hidden_states)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = FalconModel(FalconConfig()).eval()
    input_ids = torch.tensor([[11, 11, 11, 5, 27, 40], [3, 8, 19, 22, 31, 7]])
    attention_mask = torch.tensor([[0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        model(input_ids, attention_mask)
    print(f"fully-masked query rows reaching SDPA: {model.h[0].self_attention.fully_masked_rows}")
