import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def subsequent_mask(size):
    """True above the diagonal: MHA blocks the future."""
    return torch.from_numpy(~np.tri(size, dtype=bool))


def future_bias(size):
    return torch.from_numpy(np.where(np.tri(size) == 0, -np.inf, 0.0).astype(np.float32))


def keep_mask(size):
    return torch.from_numpy(np.tri(size, size, 0, bool))


def tri_from_shape(shape):
    return torch.from_numpy(np.tri(*shape, dtype=bool))


class LM(nn.Module):
    def __init__(self, vocab=100, d=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)
        self.attn2 = nn.MultiheadAttention(d, 4, batch_first=True)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        T = ids.size(1)
        h = self.emb(ids)
        h = h + self.attn(h, h, h, attn_mask=subsequent_mask(T))[0]
        h = h + self.attn2(h, h, h, attn_mask=future_bias(T))[0]
        return self.head(h)


def sdpa(q, k, v):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep_mask(q.size(-2)))


def sdpa2(q, k, v):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=tri_from_shape((q.size(-2), k.size(-2))))
