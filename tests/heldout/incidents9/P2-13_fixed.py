import math

import torch
import torch.nn.functional as F
from torch import nn


def _make_causal_mask(input_ids_shape, past_key_values_length=0):
    batch_size, target_length = input_ids_shape
    mask = torch.empty((target_length, target_length + past_key_values_length), dtype=torch.bool)
    seq_ids = torch.arange(target_length)
    mask[:, past_key_values_length:] = seq_ids[:, None] < seq_ids[None, :]
    return mask[None, None, :, :].expand(batch_size, 1, target_length, target_length + past_key_values_length)


def _prepare_attn_mask(attention_mask, input_shape):
    """Falcon-style combined mask, bool with True = position must NOT be attended."""
    causal = _make_causal_mask(input_shape)
    padding = ~attention_mask.bool()[:, None, None, :]
    return causal | padding


class Attention(nn.Module):
    def __init__(self, hidden_size=64, num_heads=4):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.query_key_value = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.dense = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask, output_attentions=False):
        b, q_len, _ = hidden_states.shape
        qkv = self.query_key_value(hidden_states).view(b, q_len, 3, self.num_heads, self.head_dim)
        query_layer_, key_layer_, value_layer_ = (t.transpose(1, 2) for t in qkv.unbind(2))
        attention_mask_float = (attention_mask * 1.0).masked_fill(attention_mask, float("-1e9")).to(query_layer_.dtype)
        if output_attentions:
            scores = query_layer_ @ key_layer_.transpose(-1, -2) / math.sqrt(self.head_dim)
            attn_output = F.softmax(scores + attention_mask_float, dim=-1) @ value_layer_
        else:
            attn_output = F.scaled_dot_product_attention(query_layer_, key_layer_, value_layer_, attention_mask_float, 0.0, is_causal=False)
        return self.dense(attn_output.transpose(1, 2).reshape(b, q_len, -1))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = Attention().eval()
    # left-padded batch for generation: sample 0 has two pad tokens in front
    hidden = torch.randn(2, 6, 64)
    attention_mask = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    mask = _prepare_attn_mask(attention_mask, (2, 6))
    with torch.no_grad():
        batched = attn(hidden, mask)
        alone = attn(hidden[:1, 2:], _prepare_attn_mask(attention_mask[:1, 2:], (1, 4)))
    print(batched.shape)
    print("last-token diff, padded vs unpadded prompt:", (batched[0, -1] - alone[0, -1]).abs().max().item())
