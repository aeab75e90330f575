"""Encoder called positionally with the padding mask in second place."""
import torch
import torch.nn as nn


class AudioEncoder(nn.Module):
    def __init__(self, n_mels=80, d=256, h=4, layers=6):
        super().__init__()
        self.proj = nn.Linear(n_mels, d)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, h, batch_first=True), layers)

    def forward(self, feats, lengths):
        # feats: (N, S, n_mels); lengths: (N,)
        S = feats.size(1)
        pad = torch.arange(S, device=feats.device)[None, :] >= lengths[:, None]
        return self.encoder(self.proj(feats), pad)  # expect: ML501
