"""Handwriting line recogniser with a padded batch of variable-width images."""
from typing import Sequence

import torch
import torch.nn as nn


class ConvStem(nn.Module):
    def __init__(self, d_model):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.to_model = nn.Linear(64 * 8, d_model)

    def forward(self, img):
        f = self.body(img)
        b, c, h, w = f.shape
        return self.to_model(f.permute(0, 3, 1, 2).reshape(b, w, c * h))


class HandwritingRecognizer(nn.Module):
    def __init__(self, n_chars, d_model=64, nhead=4, layers=2, downsample=4):
        super().__init__()
        self.downsample = downsample
        self.stem = ConvStem(d_model)
        self.pos = nn.Parameter(torch.randn(1, 400, d_model) * 0.02)
        self.attn = nn.ModuleList(nn.MultiheadAttention(d_model, nhead, batch_first=True) for _ in range(layers))
        self.ln = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(layers))
        self.ctc_head = nn.Linear(d_model, n_chars + 1)

    def padding_mask(self, widths: Sequence[int], n_cols: int) -> torch.Tensor:
        mask = torch.zeros(len(widths), n_cols, dtype=torch.bool)
        for i, w in enumerate(widths):
            n = min(n_cols, -(-w // self.downsample))
            mask[i, n:] = True
        return mask

    def forward(self, images, widths):
        h = self.stem(images)
        h = h + self.pos[:, : h.size(1)]
        pad = self.padding_mask(widths, h.size(1)).to(h.device)
        for attn, ln in zip(self.attn, self.ln):
            x = ln(h)
            out, _ = attn(x, x, x, key_padding_mask=pad, need_weights=False)
            h = h + out
        return self.ctc_head(h).log_softmax(-1)
