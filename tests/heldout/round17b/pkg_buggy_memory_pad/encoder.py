"""Clip encoder over pre-extracted frame features."""
import torch
from torch import nn


class ClipEncoder(nn.Module):
    def __init__(self, feat_dim=512, dim=64, heads=4, layers=2, max_frames=64):
        super().__init__()
        self.proj = nn.Linear(feat_dim, dim)
        self.time = nn.Embedding(max_frames, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, frames, frame_pad):
        t = torch.arange(frames.size(1), device=frames.device)
        x = self.proj(frames) + self.time(t)
        return self.encoder(x, src_key_padding_mask=frame_pad)


def batch_clips(clips):
    n = max(c.size(0) for c in clips)
    out = clips[0].new_zeros(len(clips), n, clips[0].size(-1))
    pad = torch.ones(len(clips), n, dtype=torch.bool)
    for i, c in enumerate(clips):
        out[i, :c.size(0)] = c
        pad[i, :c.size(0)] = False
    return out, pad


def temporal_pool(memory, frame_pad):
    w = (~frame_pad).unsqueeze(-1).float()
    return (memory * w).sum(1) / w.sum(1)
