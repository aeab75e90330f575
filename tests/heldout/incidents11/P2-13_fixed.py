import math
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn


class RWConfig:
    vocab_size = 80
    hidden_size = 32
    n_head = 4
    n_layer = 2
    layer_norm_epsilon = 1e-5


def _make_causal_mask(input_ids_shape: torch.Size, device: torch.device, past_key_values_length: int) -> torch.BoolTensor:
    batch_size, target_length = input_ids_shape
    mask = torch.empty((target_length, target_length + past_key_values_length), dtype=torch.bool, device=device)
    seq_ids = torch.arange(target_length, device=device)
    mask[:, past_key_values_length:] = seq_ids[:, None] < seq_ids[None, :]
    if past_key_values_length > 0:
        mask[:, :past_key_values_length] = False
    return mask[None, None, :, :].expand(batch_size, 1, target_length, target_length + past_key_values_length)


def _expand_mask(mask: torch.Tensor, tgt_length: int) -> torch.BoolTensor:
    batch_size, src_length = mask.shape
    tgt_length = tgt_length if tgt_length is not None else src_length
    expanded_mask = ~(mask[:, None, None, :].to(torch.bool))
    return expanded_mask.expand(batch_size, 1, tgt_length, src_length)


class Attention(nn.Module):
    def __init__(self, config: RWConfig):
        super().__init__()
        self.hidden_size = config.hidden_size
        self.num_heads = config.n_head
        self.head_dim = self.hidden_size // self.num_heads
        self.inv_norm_factor = 1.0 / math.sqrt(self.head_dim)
        self.query_key_value = nn.Linear(self.hidden_size, 3 * self.hidden_size, bias=False)
        self.dense = nn.Linear(self.hidden_size, self.hidden_size, bias=False)

    def forward(self, hidden_states: torch.Tensor, attention_mask: torch.Tensor, alibi: Optional[torch.Tensor] = None):
        batch_size, q_length, _ = hidden_states.shape
        fused_qkv = self.query_key_value(hidden_states)
        query_layer, key_layer, value_layer = fused_qkv.split(self.hidden_size, dim=-1)
        query_layer_ = query_layer.reshape(batch_size, q_length, self.num_heads, self.head_dim).transpose(1, 2)
        key_layer_ = key_layer.reshape(batch_size, q_length, self.num_heads, self.head_dim).transpose(1, 2)
        value_layer_ = value_layer.reshape(batch_size, q_length, self.num_heads, self.head_dim).transpose(1, 2)

        attention_mask_float = (attention_mask * 1.0).masked_fill(attention_mask, -1e9).to(query_layer_.dtype)
        if alibi is None:
            attn_output = F.scaled_dot_product_attention(query_layer_, key_layer_, value_layer_, attention_mask_float, 0.0, is_causal=False)
            attn_output = attn_output.transpose(1, 2).reshape(batch_size, q_length, self.hidden_size)
            return self.dense(attn_output)
        raise NotImplementedError("alibi path not used by this checkpoint")


class DecoderLayer(nn.Module):
    def __init__(self, config: RWConfig):
        super().__init__()
        self.input_layernorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_epsilon)
        self.self_attention = Attention(config)
        self.mlp = nn.Sequential(nn.Linear(config.hidden_size, 4 * config.hidden_size), nn.GELU(), nn.Linear(4 * config.hidden_size, config.hidden_size))

    def forward(self, hidden_states, attention_mask):
        ln = self.input_layernorm(hidden_states)
        return hidden_states + self.self_attention(ln, attention_mask) + self.mlp(ln)


class RWModel(nn.Module):
    def __init__(self, config: RWConfig):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size)
        self.h = nn.ModuleList([DecoderLayer(config) for _ in range(config.n_layer)])
        self.ln_f = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_epsilon)

    def _prepare_attn_mask(self, attention_mask: torch.Tensor, input_shape, past_key_values_length: int) -> torch.BoolTensor:
        combined_attention_mask = None
        device = attention_mask.device
        _, src_length = input_shape
        if src_length > 1:
            combined_attention_mask = _make_causal_mask(input_shape, device=device, past_key_values_length=past_key_values_length)
        expanded_attn_mask = _expand_mask(attention_mask, tgt_length=src_length)
        combined_attention_mask = expanded_attn_mask if combined_attention_mask is None else expanded_attn_mask | combined_attention_mask
        return combined_attention_mask

    def forward(self, input_ids, attention_mask=None):
        hidden_states = self.word_embeddings(input_ids)
        if attention_mask is None:
            attention_mask = torch.ones(input_ids.shape, device=hidden_states.device)
        causal_mask = self._prepare_attn_mask(attention_mask, input_shape=input_ids.shape, past_key_values_length=0)
        for block in self.h:
            hidden_states = block(hidden_states, attention_mask=causal_mask)
        return self.ln_f(hidden_states)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RWModel(RWConfig()).eval()
    prompt = torch.tensor([[17, 4, 56, 9]])
    batch = torch.tensor([[11, 11, 11, 17, 4, 56, 9], [3, 8, 21, 40, 2, 33, 5]])
    mask = torch.tensor([[0, 0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        alone = model(prompt)[0, -1]
        padded = model(batch, attention_mask=mask)[0, -1]
    print(f"left-padded vs unpadded last hidden state: {(alone - padded).abs().max().item():.3e}")
