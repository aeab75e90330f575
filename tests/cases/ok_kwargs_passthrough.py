"""The same pass-throughs with the masks each API reads."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attn(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, **kw):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=kw.get("mask"))


class Mixer(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.mha = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, *extra):
        return self.mha(x, x, x, *extra)[0]


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 32, padding_idx=0)
        self.attn = Attn()
        self.mix = Mixer()

    def forward(self, ids):
        x = self.emb(ids)
        keep = ids.ne(0)
        x = self.attn(x, mask=keep[:, None, None, :])
        x = self.attn(x, **{"mask": keep[:, None, None, :]})
        x = self.mix(x, ids.eq(0))
        return x
