"""Masks precomputed with NumPy and handed to torch with from_numpy / as_tensor / tensor."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

mha = nn.MultiheadAttention(32, 4, batch_first=True)


def look_ahead(n):
    return np.tril(np.ones((n, n), dtype=bool))


def diag_hidden(n):
    return np.triu(np.ones((n, n)), k=0).astype(bool)


def neighbours(coords, radius):
    d = np.linalg.norm(coords[:, None, :] - coords[None, :, :], axis=-1)
    return (d > radius).astype(np.uint8)


def step(x, coords):
    n = x.size(1)
    a = mha(x, x, x, attn_mask=torch.from_numpy(look_ahead(n)))[0]  # expect: ML101
    b = mha(x, x, x, attn_mask=torch.as_tensor(diag_hidden(n)))[0]  # expect: ML404
    far = torch.from_numpy(neighbours(coords, 1.5))
    c = mha(x, x, x, attn_mask=far)[0]  # expect: ML203
    q = x.view(x.size(0), n, 4, 8).transpose(1, 2)
    d = F.scaled_dot_product_attention(q, q, q, attn_mask=torch.tensor(np.triu(np.ones((n, n), dtype=bool), k=1)))  # expect: ML102
    return a + b + c, d
