"""Tables of attention implementations used correctly: every entry gets a mask it reads right."""
import torch
import torch.nn.functional as F


def sdpa_attention(q, k, v, keep):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)


def math_attention(q, k, v, keep):
    scores = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5
    scores = scores.masked_fill(~keep, float("-inf"))
    return scores.softmax(-1) @ v


ATTENTION_IMPLS = {"sdpa": sdpa_attention, "math": math_attention}


def causal_attention(q, k, v, backend: str):
    n = q.shape[-2]
    keep = torch.ones(n, n, dtype=torch.bool, device=q.device).tril()
    return ATTENTION_IMPLS[backend](q, k, v, keep)


def padded_attention(q, k, v, lengths, backend: str):
    n = k.shape[-2]
    keep = (torch.arange(n, device=k.device)[None, :] < lengths[:, None])[:, None, None, :]
    attend = ATTENTION_IMPLS[backend]
    return attend(q, k, v, keep)
