"""Teaching framework: attention building blocks written as plain functions."""
import math

import torch


def create_causal_mask(seq_len):
    """Additive causal mask: 0 on/below the diagonal, -inf above."""
    return torch.triu(torch.full((seq_len, seq_len), float("-inf")), diagonal=1)


def apply_mask(scores, mask):
    """mask: 1 = keep, 0 = block."""
    return torch.where(mask == 0, torch.full_like(scores, float("-inf")), scores)


def scaled_dot_product_attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = apply_mask(scores, mask)
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


def split_heads(x, n_heads):
    b, s, d = x.shape
    return x.view(b, s, n_heads, d // n_heads).transpose(1, 2)


def merge_heads(x):
    b, h, s, d = x.shape
    return x.transpose(1, 2).reshape(b, s, h * d)


def causal_self_attention(params, x, n_heads):
    q = split_heads(x @ params["wq"], n_heads)
    k = split_heads(x @ params["wk"], n_heads)
    v = split_heads(x @ params["wv"], n_heads)
    mask = torch.tril(torch.ones(x.shape[1], x.shape[1]))
    out, weights = scaled_dot_product_attention(q, k, v, mask)
    return merge_heads(out) @ params["wo"], weights


def init_params(d, generator=None):
    return {n: torch.randn(d, d, generator=generator) / math.sqrt(d) for n in ("wq", "wk", "wv", "wo")}


if __name__ == "__main__":
    g = torch.Generator().manual_seed(0)
    params = init_params(16, g)
    x = torch.randn(2, 5, 16, generator=g)
    out, w = causal_self_attention(params, x, n_heads=2)
    print("finite:", torch.isfinite(out).all().item(), "upper zero:", bool((w.triu(1) == 0).all()))
