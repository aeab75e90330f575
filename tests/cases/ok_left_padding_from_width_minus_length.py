"""Left-padded generation whose key mask is built from where each prompt starts (`width - len(p)`):
True at the real tokens, combined with the causal mask for SDPA, and inverted for masked_fill."""
import math

import torch
import torch.nn.functional as F


def sdpa_step(q, k, v, prompts):
    width = max(len(p) for p in prompts)
    attention_mask = (torch.arange(width)[None] >= torch.tensor([width - len(p) for p in prompts])[:, None]).long()
    mask = torch.ones(width, width, dtype=torch.bool).tril()[None, None]
    mask = mask & attention_mask.bool()[:, None, None, :]
    mask = mask | torch.eye(width, dtype=torch.bool)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


def eager_step(q, k, v, seq_lens, max_len):
    real = torch.arange(max_len).unsqueeze(0) >= max_len - seq_lens.unsqueeze(1)
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.size(-1))
    scores = scores.masked_fill(~real[:, None, None, :], float("-inf"))
    return scores.softmax(-1) @ v


def sdpa_step_without_eye(q, k, v, prompts):
    width = max(len(p) for p in prompts)
    attention_mask = (torch.arange(width)[None] >= torch.tensor([width - len(p) for p in prompts])[:, None]).long()
    mask = torch.ones(width, width, dtype=torch.bool).tril()[None, None]
    mask = mask & attention_mask.bool()[:, None, None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


def attend(q, k, v, attention_mask):
    s = q.size(-2)
    mask = torch.ones(s, s, dtype=torch.bool).tril()[None, None]
    mask = mask & attention_mask.bool()[:, None, None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


def generate_step(q, k, v, prompts):
    width = max(len(p) for p in prompts)
    attention_mask = (torch.arange(width)[None] >= torch.tensor([width - len(p) for p in prompts])[:, None]).long()
    return attend(q, k, v, attention_mask)


def right_padded_from_pad_counts(q, k, v, ids, pad_id):
    """Right padding counted from the end: `T - pad_len` is each row's length, so positions below
    it are the real tokens."""
    T = ids.size(1)
    pad_len = (ids == pad_id).sum(dim=1)
    real = torch.arange(T)[None, :] < (T - pad_len)[:, None]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=real[:, None, None, :])
