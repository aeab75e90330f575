"""Padded frames found as all-zero feature vectors (`feats.abs().sum(-1) == 0`): a padding mask in
the features' layout, so one taken after a seq-first transpose is (S, N), and one read as a keep
mask is inverted."""
import torch
import torch.nn as nn


class AudioEncoder(nn.Module):
    def __init__(self, n_mels=32, d=64):
        super().__init__()
        self.inp = nn.Linear(n_mels, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, 128), 2, enable_nested_tensor=False)

    def forward(self, fbank):  # (B, T, n_mels)
        feats = fbank.transpose(0, 1)
        pad = feats.abs().sum(-1).eq(0)
        return self.enc(self.inp(feats), src_key_padding_mask=pad)  # expect: ML304


class FrameAttention(nn.Module):
    def __init__(self, n_mels=32, d=64):
        super().__init__()
        self.inp = nn.Linear(n_mels, d)
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, fbank):
        real = fbank.abs().sum(-1) != 0
        h = self.inp(fbank)
        return self.attn(h, h, h, key_padding_mask=real)[0]  # expect: ML101
