"""Masks that look dropped but are not (silent): a helper's mask parameter left at None because
the caller has no mask, a mask reset only on the flash path, a mask rewritten from itself, and a
causal mask dropped where is_causal applies it."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def attend(q, k, v, mask=None, causal=False):
    if mask is not None:
        mask = ~mask[:, None, None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=causal and mask is None)


class Layer(nn.Module):
    def __init__(self, d=32, h=4, use_flash=False):
        super().__init__()
        self.h, self.use_flash = h, use_flash
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, pad_mask=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        if self.use_flash:
            pad_mask = None  # the flash path unpads the batch instead
        y = attend(q, k, v, pad_mask)
        return y.transpose(1, 2).reshape(b, t, d)


class Encoder(nn.Module):
    def __init__(self, vocab=100, d=32, pad=0):
        super().__init__()
        self.pad = pad
        self.emb = nn.Embedding(vocab, d)
        self.layer = Layer(d)

    def forward(self, tokens):
        pad_mask = tokens.eq(self.pad)
        return self.layer(self.emb(tokens), pad_mask)


class Unpadded(nn.Module):
    """Every sequence in the batch has the same length: no mask to pass."""

    def __init__(self, d=32):
        super().__init__()
        self.layer = Layer(d)

    def forward(self, x):
        return self.layer(x)


class Block(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, attention_mask=None):
        attention_mask = attention_mask.bool() if attention_mask is not None else None
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        y = attend(q, k, v, None if attention_mask is None else ~attention_mask)
        return y.transpose(1, 2).reshape(b, t, d)


class CausalLayer(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, causal_mask):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        return attend(q, k, v, causal=True).transpose(1, 2).reshape(b, t, d)


class TinyLM(nn.Module):
    def __init__(self, vocab=100, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.layer = CausalLayer(d)

    def forward(self, ids):
        t = ids.size(1)
        causal_mask = torch.triu(torch.ones(t, t, dtype=torch.bool, device=ids.device), 1)
        return self.layer(self.emb(ids), causal_mask)


def encode():
    enc = Encoder()
    return enc(torch.tensor([[5, 6, 7, 8], [9, 10, 0, 0]])), Block()(torch.randn(2, 4, 32), torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]]))
