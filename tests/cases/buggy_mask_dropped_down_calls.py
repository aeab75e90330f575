"""A padding mask handed down a chain of user functions and dropped on the way: a helper that
takes a mask is called without it, or the mask parameter is overwritten before it is read."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def attend(q, k, v, mask=None):
    """mask: (N, S) bool, True = padding."""
    if mask is not None:
        mask = ~mask[:, None, None, :]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


class Layer(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, pad_mask):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        y = attend(q, k, v)
        return y.transpose(1, 2).reshape(b, t, d)


class Encoder(nn.Module):
    def __init__(self, vocab=100, d=32, pad=0):
        super().__init__()
        self.pad = pad
        self.emb = nn.Embedding(vocab, d)
        self.layer = Layer(d)

    def forward(self, tokens):
        pad_mask = tokens.eq(self.pad)
        return self.layer(self.emb(tokens), pad_mask)  # expect: ML504


class CrossBlock(nn.Module):
    """The key padding mask parameter is reset before it is read."""

    def __init__(self, d=32, h=4):
        super().__init__()
        self.mha = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, memory, memory_key_padding_mask=None):
        memory_key_padding_mask = None
        return self.mha(x, memory, memory, key_padding_mask=memory_key_padding_mask)[0]


class Seq2Seq(nn.Module):
    def __init__(self, vocab=100, d=32, pad=0):
        super().__init__()
        self.pad = pad
        self.emb = nn.Embedding(vocab, d)
        self.block = CrossBlock(d)

    def forward(self, src, tgt):
        src_pad = src == self.pad
        return self.block(self.emb(tgt), self.emb(src), src_pad)  # expect: ML504


class Attention(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, attention_mask=None):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        mask = None if attention_mask is None else attention_mask[:, None, None, :].bool()
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask).transpose(1, 2).reshape(b, t, d)


class Model(nn.Module):
    def __init__(self, vocab=100, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.attn = Attention(d)

    def forward(self, input_ids, attention_mask=None):
        hidden = self.emb(input_ids)
        attention_mask, position_ids = None, None  # left over from a refactor
        return self.attn(hidden, attention_mask)


def encode():
    model = Model()
    ids = torch.tensor([[5, 6, 7, 8], [9, 10, 0, 0]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 0, 0]])
    return model(ids, attention_mask=mask)  # expect: ML504
