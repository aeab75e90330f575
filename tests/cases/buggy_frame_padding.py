"""Per-frame padding masks reduced from features: (x != 0).any(-1) is True at real frames."""
import torch
import torch.nn as nn


class Pool(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, frames):
        # frames: (N, S, F) features, all-zero frames are padding
        keep = (frames != 0).any(dim=-1)
        y, _ = self.attn(x, x, x, key_padding_mask=keep)  # expect: ML101
        return y


class Speech(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, h, batch_first=True), 2)

    def forward(self, feats):
        silent = feats.eq(0).all(dim=-1)
        keep = ~silent
        return self.enc(feats, src_key_padding_mask=keep)  # expect: ML101
