"""Correct twins: branches on the mask's own presence, both branches passing it, a branch that
calls something else, and a mode's own path (`if self.training:` alone: masking only while
training is a choice, not a slip)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint


class CachedAttention(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, cache, attention_mask=None):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
        if attention_mask is not None:
            allowed = torch.ones(s, k.shape[2], dtype=torch.bool).tril(k.shape[2] - s)
            allowed = allowed & attention_mask.bool()[:, None, None, :]
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        else:
            out = F.scaled_dot_product_attention(q, k, v, is_causal=s > 1)
        return out.transpose(1, 2).reshape(b, s, d)


class Block(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, pad_mask=None):
        return x + self.attn(x, x, x, key_padding_mask=pad_mask, need_weights=False)[0]


class Stack(nn.Module):
    def __init__(self, depth=2, use_checkpoint=True):
        super().__init__()
        self.blocks = nn.ModuleList([Block() for _ in range(depth)])
        self.use_checkpoint = use_checkpoint

    def forward(self, x, pad_mask):
        for blk in self.blocks:
            if self.use_checkpoint and self.training:
                x = checkpoint(blk, x, pad_mask, use_reentrant=False)
            else:
                x = blk(x, pad_mask)
        return x


class Pooler(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), 2)
        self.proj = nn.Linear(d, d)

    def forward(self, x, src_key_padding_mask):
        if self.training:
            return self.encoder(x, src_key_padding_mask=src_key_padding_mask)
        return self.proj(x)


class Tagger(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), 2)

    def forward(self, x, src_key_padding_mask):
        if self.training:
            return self.encoder(x, src_key_padding_mask=src_key_padding_mask)
        return self.encoder(x)
