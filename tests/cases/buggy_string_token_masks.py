"""Padding masks made from string tokens compared with the padding token, row by row (round19's
Morse reader: `[[tok != "<pad>" for tok in row] for row in padded]` as key_padding_mask)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = "<pad>"


def pad_rows(sentences):
    width = max(len(s) for s in sentences)
    return [s + [PAD] * (width - len(s)) for s in sentences]


def encode(attn: nn.MultiheadAttention, x, sentences):
    rows = pad_rows(sentences)
    real = torch.tensor([[tok != "<pad>" for tok in row] for row in rows])
    return attn(x, x, x, key_padding_mask=real)[0]  # expect: ML101


def pool(q, k, v, sentences):
    rows = pad_rows(sentences)
    is_pad = torch.tensor([[w == PAD for w in row] for row in rows])
    return F.scaled_dot_product_attention(q, k, v, attn_mask=is_pad[:, None, None, :])  # expect: ML102
