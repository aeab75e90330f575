import math

import torch
import torch.nn.functional as F
from torch import nn


def _make_causal_mask(input_ids_shape, past_key_values_length=0):
    batch_size, target_length = input_ids_shape
    mask = torch.empty((target_length, target_length + past_key_values_length), dtype=torch.bool)
    seq_ids = torch.arange(target_length)
    mask[:, past_key_values_length:] = seq_ids[:, None] < seq_ids[None, :]
    mask[:, :past_key_values_length] = False
    return mask[None, None, :, :].expand(batch_size, 1, target_length, target_length + past_key_values_length)


def _expand_mask(mask, tgt_length):
    batch_size, src_length = mask.shape
    return (~(mask[:, None, None, :].to(torch.bool))).expand(batch_size, 1, tgt_length, src_length)


class FalconAttention(nn.Module):
    def __init__(self, hidden_size=64, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.inv_norm_factor = 1.0 / math.sqrt(self.head_dim)
        self.query_key_value = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.dense = nn.Linear(hidden_size, hidden_size, bias=False)

    def _split_heads(self, fused_qkv):
        batch_size, seq_length, _ = fused_qkv.shape
        fused_qkv = fused_qkv.view(batch_size, seq_length, self.num_heads, 3, self.head_dim)
        return fused_qkv[..., 0, :], fused_qkv[..., 1, :], fused_qkv[..., 2, :]

    def forward(self, hidden_states, alibi, attention_mask):
        batch_size, query_length, _ = hidden_states.shape
        query_layer, key_layer, value_layer = self._split_heads(self.query_key_value(hidden_states))
        query_layer_ = query_layer.transpose(1, 2)
        key_layer_ = key_layer.transpose(1, 2)
        value_layer_ = value_layer.transpose(1, 2)
        attention_mask_float = (attention_mask * 1.0).masked_fill(attention_mask, float("-1e9")).to(torch.bfloat16)  # BUG
        if alibi is None:
            attn_output = F.scaled_dot_product_attention(query_layer_, key_layer_, value_layer_, None, 0.0, is_causal=True)  # BUG
            attn_output = attn_output.transpose(1, 2).reshape(batch_size, query_length, -1)
            return self.dense(attn_output)
        scores = query_layer_ @ key_layer_.transpose(-1, -2) * self.inv_norm_factor + alibi + attention_mask_float
        return self.dense((scores.softmax(-1) @ value_layer_).transpose(1, 2).reshape(batch_size, query_length, -1))


def prepare_attn_mask(attention_mask, input_shape):
    return _make_causal_mask(input_shape) | _expand_mask(attention_mask, input_shape[-1])


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = FalconAttention().eval()
    hidden = torch.randn(2, 6, 64)
    attention_mask = torch.tensor([[0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    mask = prepare_attn_mask(attention_mask, (2, 6))
    other = hidden.clone()
    other[0, :3] = torch.randn(3, 64)
    with torch.no_grad():
        d = (attn(hidden, None, mask)[0, 3:] - attn(other, None, mask)[0, 3:]).abs().max().item()
    print(f"left padding: change at real tokens when pad states change = {d:.4f}")
