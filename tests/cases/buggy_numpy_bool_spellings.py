"""NumPy-built masks in NumPy's bool spellings with the wrong polarity, or 0/1 floats."""
import numpy as np
import torch
import torch.nn.functional as F


def future(n: int) -> np.ndarray:
    return np.triu(np.ones((n, n), dtype=np.bool_), 1)


def attend(q, k, v):
    n = q.size(-2)
    blocked = torch.from_numpy(future(n))
    a = F.scaled_dot_product_attention(q, k, v, attn_mask=blocked)  # expect: ML102
    visible = torch.from_numpy(np.tril(np.ones((n, n), dtype=np.float32)))
    return a + F.scaled_dot_product_attention(q, k, v, attn_mask=visible)  # expect: ML202
