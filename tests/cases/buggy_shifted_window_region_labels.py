"""Shifted-window attention: image regions are labelled with a counter, and tokens of a window
that came from different regions must not attend to each other."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def region_labels(height, width, window, shift):
    img = torch.zeros(1, height, width)
    label = 0
    for hs in (slice(0, -window), slice(-window, -shift), slice(-shift, None)):
        for ws in (slice(0, -window), slice(-window, -shift), slice(-shift, None)):
            img[:, hs, ws] = label
            label += 1
    windows = img.view(1, height // window, window, width // window, window).permute(0, 1, 3, 2, 4)
    return windows.reshape(-1, window * window)


class ShiftedWindowAttention(nn.Module):
    def __init__(self, dim, heads, resolution=8, window=4, shift=2):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        labels = region_labels(resolution, resolution, window, shift)
        self.register_buffer("cross_region", labels[:, :, None] != labels[:, None, :], persistent=False)

    def forward(self, windows):
        bw, n, d = windows.shape
        q, k, v = self.qkv(windows).view(bw, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        mask = self.cross_region.repeat(bw // self.cross_region.size(0), 1, 1)[:, None]
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML102
        return out.transpose(1, 2).reshape(bw, n, d)
