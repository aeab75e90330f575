import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def _make_causal_mask(input_ids_shape, past_key_values_length):
    batch_size, target_length = input_ids_shape
    mask = torch.empty((target_length, target_length + past_key_values_length), dtype=torch.bool)
    seq_ids = torch.arange(target_length)
    mask[:, past_key_values_length:] = seq_ids[:, None] < seq_ids[None, :]
    mask[:, :past_key_values_length] = False
    return mask[None, None, :, :].expand(batch_size, 1, target_length, target_length + past_key_values_length)


def _expand_mask(mask, tgt_length):
    batch_size, src_length = mask.shape
    expanded_mask = ~(mask[:, None, None, :].to(torch.bool))
    return expanded_mask.expand(batch_size, 1, tgt_length, src_length)


def _prepare_attn_mask(attention_mask, input_shape, past_key_values_length):
    combined_attention_mask = _make_causal_mask(input_shape, past_key_values_length)
    return _expand_mask(attention_mask, input_shape[-1]) | combined_attention_mask


class Attention(nn.Module):
    def __init__(self, hidden_size=16, num_heads=2):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden_size // num_heads
        self.query_key_value = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.dense = nn.Linear(hidden_size, hidden_size, bias=False)
        self.inv_norm_factor = 1.0 / math.sqrt(self.head_dim)

    def forward(self, hidden_states, attention_mask):
        batch_size, q_length, _ = hidden_states.shape
        fused_qkv = self.query_key_value(hidden_states).view(batch_size, q_length, 3, self.num_heads, self.head_dim)
        query_layer_, key_layer_, value_layer_ = fused_qkv.permute(2, 0, 3, 1, 4)

        attention_mask_float = (attention_mask * 1.0).masked_fill(attention_mask, float("-1e9")).to(torch.bfloat16)  # BUG

        attn_output = F.scaled_dot_product_attention(
            query_layer_, key_layer_, value_layer_, None, 0.0, is_causal=True  # BUG
        )
        attn_output = attn_output.transpose(1, 2).reshape(batch_size, q_length, -1)
        return self.dense(attn_output)


class RWModel(nn.Module):
    def __init__(self, vocab_size=30, hidden_size=16):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab_size, hidden_size)
        self.h = nn.ModuleList([Attention(hidden_size), Attention(hidden_size)])

    def forward(self, input_ids, attention_mask):
        hidden_states = self.word_embeddings(input_ids)
        causal_mask = _prepare_attn_mask(attention_mask, input_ids.shape, past_key_values_length=0)
        for block in self.h:
            hidden_states = hidden_states + block(hidden_states, causal_mask)
        return hidden_states


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RWModel().eval()
    input_ids = torch.tensor([[11, 11, 11, 4, 5, 6], [1, 2, 3, 4, 5, 6]])
    attention_mask = torch.tensor([[0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        batched = model(input_ids, attention_mask)
        alone = model(input_ids[:1, 3:], attention_mask[:1, 3:])
    print(f"left-padded prompt vs unpadded prompt: {(batched[0, 3:] - alone[0]).abs().max().item():.4f}")
