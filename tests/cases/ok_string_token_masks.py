"""Near-misses: string-token padding masks given in the polarity each API reads."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = "<pad>"


def pad_rows(sentences):
    width = max(len(s) for s in sentences)
    return [s + [PAD] * (width - len(s)) for s in sentences]


def encode(attn: nn.MultiheadAttention, x, sentences):
    rows = pad_rows(sentences)
    padding = torch.tensor([[tok == "<pad>" for tok in row] for row in rows])
    return attn(x, x, x, key_padding_mask=padding)[0]


def pool(q, k, v, sentences):
    rows = pad_rows(sentences)
    keep = torch.tensor([[w != PAD for w in row] for row in rows])
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None, None, :])
