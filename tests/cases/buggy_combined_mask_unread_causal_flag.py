"""A combined causal-and-padding mask prepared from left-padded prompts and then not passed: the
attention runs with only its causal flag (Falcon's SDPA path), so the left padding is attended."""
import torch
import torch.nn.functional as F


def prepare(attention_mask, n):
    causal = torch.ones(n, n, dtype=torch.bool).triu(1)
    return causal[None, None] | ~attention_mask.bool()[:, None, None, :]


def attend(q, k, v, blocked):
    bias = torch.zeros(blocked.shape).masked_fill(blocked, -1e4)
    return F.scaled_dot_product_attention(q, k, v, is_causal=True)


def generate():
    prompts = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])
    q = torch.randn(2, 4, 5, 8)
    return attend(q, q, q, prepare(prompts, 5))  # expect: ML504
