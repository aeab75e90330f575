"""The same call on two branches of an `if` that is not about the mask, one with the padding mask
and one without: a decode step, a gradient-checkpointed path."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint


class CachedAttention(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, cache, attention_mask):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
        if s > 1:
            allowed = torch.ones(s, k.shape[2], dtype=torch.bool).tril(k.shape[2] - s)
            allowed = allowed & attention_mask.bool()[:, None, None, :]
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        else:
            out = F.scaled_dot_product_attention(q, k, v)  # expect: ML504
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
                x = checkpoint(blk, x, use_reentrant=False)  # expect: ML504
            else:
                x = blk(x, pad_mask)
        return x


class StreamingEncoder(nn.Module):
    def __init__(self, d=32, streaming=False):
        super().__init__()
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), 2)
        self.streaming = streaming

    def forward(self, frames, frame_pad_mask):
        if self.streaming:
            out = self.encoder(frames)  # expect: ML504
        else:
            out = self.encoder(frames, src_key_padding_mask=frame_pad_mask)
        return out
