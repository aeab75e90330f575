import math

import torch
import torch.nn.functional as F
from torch import nn


class RWConfig:
    hidden_size = 64
    n_head = 4
    attention_dropout = 0.0
    bias = False


def _make_causal_mask(input_ids_shape, past_key_values_length=0):
    batch_size, target_length = input_ids_shape
    mask = torch.empty((target_length, target_length + past_key_values_length), dtype=torch.bool)
    seq_ids = torch.arange(target_length)
    mask[:, past_key_values_length:] = seq_ids[:, None] < seq_ids[None, :]
    return mask[None, None, :, :].expand(batch_size, 1, target_length, target_length + past_key_values_length)


def _prepare_attn_mask(attention_mask, input_shape):
    combined = _make_causal_mask(input_shape) if input_shape[-1] > 1 else None
    expanded = ~(attention_mask[:, None, None, :].bool())
    return expanded if combined is None else expanded | combined


class Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.hidden_size = config.hidden_size
        self.num_heads = config.n_head
        self.head_dim = self.hidden_size // self.num_heads
        self.inv_norm_factor = 1.0 / math.sqrt(self.head_dim)
        self.query_key_value = nn.Linear(self.hidden_size, 3 * self.hidden_size, bias=config.bias)
        self.dense = nn.Linear(self.hidden_size, self.hidden_size, bias=config.bias)

    def forward(self, hidden_states, attention_mask):
        batch_size, q_length, _ = hidden_states.shape
        fused_qkv = self.query_key_value(hidden_states)
        fused_qkv = fused_qkv.view(batch_size, q_length, self.num_heads, 3, self.head_dim)
        query_layer, key_layer, value_layer = fused_qkv.unbind(dim=3)
        query_layer_ = query_layer.transpose(1, 2)
        key_layer_ = key_layer.transpose(1, 2)
        value_layer_ = value_layer.transpose(1, 2)

        attention_mask_float = (attention_mask * 1.0).masked_fill(attention_mask, float("-1e9")).to(torch.bfloat16)  # BUG
        attn_output = F.scaled_dot_product_attention(
            query_layer_, key_layer_, value_layer_, None, 0.0, is_causal=True  # BUG
        )
        attn_output = attn_output.transpose(1, 2).reshape(batch_size, q_length, self.hidden_size)
        return self.dense(attn_output)


if __name__ == "__main__":
    config = RWConfig()
    attn = Attention(config)
    hidden = torch.randn(2, 6, config.hidden_size)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]])
    mask = _prepare_attn_mask(attention_mask, (2, 6))
    print(attn(hidden, mask).shape)
