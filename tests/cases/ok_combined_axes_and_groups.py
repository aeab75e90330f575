"""Combinations whose polarity or axis a shortcut would misread: padding on the keys combined
with the padded queries' rows (NaN-free bucketed attention), and a same-group test combined only
with masks of unknown structure (a deduplication head hides same-camera pairs)."""
import torch
import torch.nn as nn


class BucketedSelfAttention(nn.Module):
    def __init__(self, d=32, nhead=4, bucket=4):
        super().__init__()
        self.nhead, self.bucket = nhead, bucket
        self.attn = nn.MultiheadAttention(d, nhead)

    def forward(self, x, key_padding_mask):
        L = x.size(0)
        bucket = torch.arange(L) // self.bucket
        block = bucket[:, None] != bucket[None, :]
        combined = (block[None] | key_padding_mask[:, None, :]) & ~key_padding_mask[:, :, None]
        return self.attn(x, x, x, attn_mask=combined.repeat_interleave(self.nhead, dim=0))[0]


class DedupHead(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(d, heads)

    def forward(self, feats, cams):
        pad = cams < 0
        same_cam = cams[:, :, None] == cams[:, None, :]
        eye = torch.eye(cams.size(1), dtype=torch.bool)
        blocked = ((same_cam & ~eye) | pad[:, None, :]) & ~eye
        x = feats.transpose(0, 1)
        return self.attn(x, x, x, attn_mask=blocked.repeat_interleave(self.heads, dim=0))[0]
