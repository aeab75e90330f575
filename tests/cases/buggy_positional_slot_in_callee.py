"""A mask put in the wrong positional slot by a helper or block of the same file is reported at
that call, not where a caller hands the (right) mask in: `self_attn_mask` as MHA's fourth
positional (key_padding_mask), `pad_mask` as nn.TransformerEncoderLayer's second (src_mask)."""
import torch
import torch.nn as nn


class DecoderBlock(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, 4)

    def forward(self, x, self_attn_mask=None):
        y, _ = self.self_attn(x, x, x, self_attn_mask)  # expect: ML501
        return x + y


class Encoder(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(d, 4, batch_first=True)

    def run_layer(self, x, pad_mask):
        return self.layer(x, pad_mask)  # expect: ML501


class Model(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.emb = nn.Embedding(100, d)
        self.dec = DecoderBlock(d)
        self.enc = Encoder(d)

    def forward(self, tokens):
        t = tokens.size(1)
        future = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
        h = self.dec(self.emb(tokens).transpose(0, 1), self_attn_mask=future)
        return self.enc.run_layer(h.transpose(0, 1), tokens == 0)
