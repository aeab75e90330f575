"""Falcon-style decoder attention (multi-query) with an optional ALiBi path."""
import math
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


def _make_causal_mask(input_ids_shape, device, past_key_values_length=0):
    batch_size, target_length = input_ids_shape
    mask = torch.empty((target_length, target_length + past_key_values_length), dtype=torch.bool, device=device)
    seq_ids = torch.arange(target_length, device=device)
    mask[:, past_key_values_length:] = seq_ids[:, None] < seq_ids[None, :]
    if past_key_values_length > 0:
        mask[:, :past_key_values_length] = False
    return mask[None, None, :, :].expand(batch_size, 1, target_length, target_length + past_key_values_length)


def _expand_mask(mask, past_key_values_length=0):
    batch_size, total_length = mask.shape
    expanded_mask = ~(mask[:, None, None, :].to(torch.bool))
    return expanded_mask.expand(batch_size, 1, total_length - past_key_values_length, total_length)


def build_alibi_tensor(attention_mask, num_heads, dtype):
    slopes = torch.tensor([2 ** (-8 * (i + 1) / num_heads) for i in range(num_heads)])
    arange_tensor = ((attention_mask.cumsum(dim=-1) - 1) * attention_mask)[:, None, :]
    alibi = slopes[..., None] * arange_tensor
    return alibi.reshape(attention_mask.shape[0] * num_heads, 1, -1).to(dtype)


class FalconAttention(nn.Module):
    def __init__(self, hidden_size=32, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.query_key_value = nn.Linear(hidden_size, hidden_size + 2 * self.head_dim, bias=False)
        self.dense = nn.Linear(hidden_size, hidden_size, bias=False)
        self.inv_norm_factor = 1.0 / math.sqrt(self.head_dim)

    def forward(self, hidden_states, alibi: Optional[torch.Tensor], attention_mask: torch.Tensor):
        b, q_len, _ = hidden_states.shape
        fused = self.query_key_value(hidden_states).view(b, q_len, self.num_heads + 2, self.head_dim)
        query_layer = fused[..., :-2, :].transpose(1, 2)
        key_layer = fused[..., [-2], :].transpose(1, 2).expand(-1, self.num_heads, -1, -1)
        value_layer = fused[..., [-1], :].transpose(1, 2).expand(-1, self.num_heads, -1, -1)

        attention_mask_float = (attention_mask * 1.0).masked_fill(attention_mask, float("-1e9")).to(torch.bfloat16)  # BUG

        if alibi is None:
            attn_output = F.scaled_dot_product_attention(
                query_layer, key_layer, value_layer, None, 0.0, is_causal=True  # BUG
            )
        else:
            matmul_result = query_layer @ key_layer.transpose(-1, -2)
            attention_scores = matmul_result.view(b, self.num_heads, q_len, -1)
            attention_logits = attention_scores + alibi.view(b, self.num_heads, 1, -1)
            attention_logits *= self.inv_norm_factor
            attention_probs = F.softmax(attention_logits + attention_mask_float, dim=-1, dtype=hidden_states.dtype)
            attn_output = attention_probs @ value_layer
        attn_output = attn_output.transpose(1, 2).reshape(b, q_len, -1)
        return self.dense(attn_output)


class FalconModel(nn.Module):
    def __init__(self, vocab_size=64, hidden_size=32, num_heads=4, n_layer=2, alibi=False):
        super().__init__()
        self.num_heads = num_heads
        self.use_alibi = alibi
        self.word_embeddings = nn.Embedding(vocab_size, hidden_size)
        self.h = nn.ModuleList([FalconAttention(hidden_size, num_heads) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(hidden_size)

    def forward(self, input_ids, attention_mask):
        hidden_states = self.word_embeddings(input_ids)
        causal_mask = _make_causal_mask(input_ids.shape, input_ids.device) | _expand_mask(attention_mask)
        alibi = build_alibi_tensor(attention_mask, self.num_heads, hidden_states.dtype) if self.use_alibi else None
        for block in self.h:
            hidden_states = hidden_states + block(hidden_states, alibi, causal_mask)
        return self.ln_f(hidden_states)


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(0, 64, (2, 6))
    am = torch.tensor([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    for alibi in (False, True):
        model = FalconModel(alibi=alibi)
        print(alibi, model(ids, am).shape)
