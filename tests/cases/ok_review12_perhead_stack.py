"""Correct: per-head sliding windows stacked on the head axis, (H, L, L) bool keep mask to SDPA."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def window_mask(n, w):
    i = torch.arange(n)
    return (i[:, None] >= i[None, :]) & (i[:, None] - i[None, :] < w)


class MultiScaleAttention(nn.Module):
    def __init__(self, d=32, windows=(2, 4, 8, 16)):
        super().__init__()
        self.windows = windows
        self.h = len(windows)
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        mask = torch.stack([window_mask(T, w) for w in self.windows])  # (H, T, T)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.out(y.transpose(1, 2).reshape(B, T, C))


class MultiScaleMHA(nn.Module):
    """Same masks through nn.MultiheadAttention: (N*H, L, S) built with repeat, per-head masks."""
    def __init__(self, d=32, windows=(2, 4, 8, 16)):
        super().__init__()
        self.windows = windows
        self.attn = nn.MultiheadAttention(d, len(windows), batch_first=True)

    def forward(self, x):
        B, T, C = x.shape
        keep = torch.stack([window_mask(T, w) for w in self.windows])  # (H, T, T)
        # index b*H + h: repeating the whole (H, T, T) block B times is exactly right here
        block = (~keep).repeat(B, 1, 1)
        out, _ = self.attn(x, x, x, attn_mask=block)
        return out


if __name__ == "__main__":
    x = torch.randn(2, 16, 32)
    print(MultiScaleAttention()(x).shape, MultiScaleMHA()(x).shape)
