"""Seq-first and batch-first encoders with padding masks built from positions: all (N, S)."""
import torch
from torch import nn


class SeqFirstEncoder(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4), 2)  # (S, N, E)

    def forward(self, src, src_lens):
        pad = torch.arange(src.size(0), device=src.device)[None, :] >= src_lens[:, None]  # (N, S)
        return self.encoder(src, src_key_padding_mask=pad)


class BatchFirstEncoder(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), 2)

    def forward(self, x, num_frames):
        pad = torch.arange(x.size(1), device=x.device)[None, :] >= num_frames[:, None]  # (N, S)
        return self.encoder(x, src_key_padding_mask=pad)
