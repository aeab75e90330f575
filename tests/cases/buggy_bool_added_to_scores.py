"""A bool mask added to the scores adds 1 or 0 (Qwen3 eager, transformers PR#41443)."""
import math

import torch
import torch.nn as nn


def eager_attention_forward(module, query, key, value, attention_mask, scaling):
    attn_weights = torch.matmul(query, key.transpose(2, 3)) * scaling
    if attention_mask is not None:
        causal_mask = attention_mask[:, :, :, : key.shape[-2]].bool()
        attn_weights = attn_weights + causal_mask  # expect: ML202
    attn_weights = nn.functional.softmax(attn_weights, dim=-1)
    return torch.matmul(attn_weights, value)


class Attention(nn.Module):
    def forward(self, q, k, v, input_ids, pad_id):
        scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
        blocked = (input_ids == pad_id)[:, None, None, :]
        scores += blocked  # expect: ML202
        return scores.softmax(-1) @ v


def local_attention(q, k, v, lengths):
    t = q.size(-2)
    idx = torch.arange(t, device=q.device)
    causal = idx[None, :] > idx[:, None]
    w = torch.einsum("bhid,bhjd->bhij", q, k) + causal  # expect: ML202
    return torch.einsum("bhij,bhjd->bhid", w.softmax(-1), v)


def bool_causal_mask(attention_mask, q_len, kv_len):
    offset = kv_len - q_len
    causal = torch.ones(q_len, kv_len, dtype=torch.bool, device=attention_mask.device).tril(diagonal=offset)
    return causal[None, None] & attention_mask.bool()[:, None, None, :]


def eager_attention(q, k, v, attention_mask):
    mask = bool_causal_mask(attention_mask, q.size(-2), k.size(-2))
    scores = q @ k.transpose(-2, -1)
    return (scores + mask).softmax(-1) @ v  # expect: ML202
