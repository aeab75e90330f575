"""Masks combined across dtypes, converted first: the tokenizer's int64 attention_mask made bool
before `&` with the causal mask, and an int padding mask compared to 0 before `|`."""
import torch
import torch.nn.functional as F


def sdpa_mask(attention_mask, q_len):
    causal = torch.ones(q_len, q_len, dtype=torch.bool).tril()
    return causal[None, None] & attention_mask[:, None, None, :].bool()


def attend(q, k, v, attention_mask):
    mask = sdpa_mask(attention_mask, q.size(-2))
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


def eager(scores, v, lengths):
    T = scores.size(-1)
    real = (torch.arange(T)[None] < lengths[:, None]).long()
    hide = (real == 0)[:, None, None, :] | torch.triu(torch.ones(T, T, dtype=torch.bool), 1)
    return scores.masked_fill(hide, float("-inf")).softmax(-1) @ v
