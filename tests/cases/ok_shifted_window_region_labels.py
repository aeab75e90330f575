"""Shifted-window attention in the Swin style: region labels from a counter, their differences
turned into an additive -100 / 0 mask."""
import torch
import torch.nn as nn


def shifted_window_bias(height, width, window, shift):
    img = torch.zeros(1, height, width, 1)
    cnt = 0
    for h in (slice(0, -window), slice(-window, -shift), slice(-shift, None)):
        for w in (slice(0, -window), slice(-window, -shift), slice(-shift, None)):
            img[:, h, w, :] = cnt
            cnt += 1
    mask_windows = img.view(1, height // window, window, width // window, window, 1).permute(0, 1, 3, 2, 4, 5)
    mask_windows = mask_windows.reshape(-1, window * window)
    attn_mask = mask_windows.unsqueeze(1) - mask_windows.unsqueeze(2)
    return attn_mask.masked_fill(attn_mask != 0, float(-100.0)).masked_fill(attn_mask == 0, float(0.0))


class WindowAttention(nn.Module):
    def __init__(self, dim, heads, resolution=8, window=4, shift=2):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim)
        self.register_buffer("attn_mask", shifted_window_bias(resolution, resolution, window, shift), persistent=False)

    def forward(self, windows):
        bw, n, d = windows.shape
        q, k, v = self.qkv(windows).view(bw, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        attn = (q * self.scale) @ k.transpose(-2, -1)
        nw = self.attn_mask.shape[0]
        attn = attn.view(bw // nw, nw, self.heads, n, n) + self.attn_mask.unsqueeze(1).unsqueeze(0)
        attn = attn.view(-1, self.heads, n, n).softmax(dim=-1)
        return (attn @ v).transpose(1, 2).reshape(bw, n, d)
