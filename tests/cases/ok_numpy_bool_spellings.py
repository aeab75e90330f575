"""Masks built in NumPy with its own bool spellings (np.bool_, "bool", astype(bool)) and handed to
SDPA as keep masks: bool, True = attend, as SDPA reads them."""
import numpy as np
import torch
import torch.nn.functional as F


def visibility(n: int) -> np.ndarray:
    return np.tril(np.ones((n, n), dtype=np.bool_))


def window(n: int, w: int) -> np.ndarray:
    i = np.arange(n)
    return (np.abs(i[:, None] - i[None, :]) <= w).astype("bool")


def attend(q, k, v):
    n = q.size(-2)
    causal = torch.from_numpy(visibility(n))
    local = torch.from_numpy(window(n, 2))
    a = F.scaled_dot_product_attention(q, k, v, attn_mask=causal)
    b = F.scaled_dot_product_attention(q, k, v, attn_mask=torch.from_numpy(np.tril(np.ones((n, n), dtype="bool"))))
    return a + b + F.scaled_dot_product_attention(q, k, v, attn_mask=local)
