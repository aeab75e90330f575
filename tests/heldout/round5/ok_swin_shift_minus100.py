"""Swin-style shifted-window attention: the region mask is additive with -100.0 (exp(-100) is
0 in fp32 and fp16), added to SDPA as a float bias of shape (nW*B, 1, N, N)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def window_partition(x, ws):
    B, H, W, C = x.shape
    x = x.view(B, H // ws, ws, W // ws, ws, C).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(-1, ws * ws, C)


def shifted_window_mask(H, W, ws, shift):
    img = torch.zeros(1, H, W, 1)
    cnt = 0
    for hs in (slice(0, -ws), slice(-ws, -shift), slice(-shift, None)):
        for wsl in (slice(0, -ws), slice(-ws, -shift), slice(-shift, None)):
            img[:, hs, wsl, :] = cnt
            cnt += 1
    win = window_partition(img, ws).squeeze(-1)
    diff = win.unsqueeze(1) - win.unsqueeze(2)
    return diff.masked_fill(diff != 0, -100.0).masked_fill(diff == 0, 0.0)


class ShiftedWindowAttention(nn.Module):
    def __init__(self, dim=32, heads=2, ws=4, shift=2, res=8):
        super().__init__()
        self.heads, self.ws, self.shift = heads, ws, shift
        self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)
        self.register_buffer("attn_bias", shifted_window_mask(res, res, ws, shift), persistent=False)

    def forward(self, x):  # (B, H, W, C)
        B, H, W, C = x.shape
        x = torch.roll(x, (-self.shift, -self.shift), (1, 2))
        win = window_partition(x, self.ws)
        nW = self.attn_bias.size(0)
        q, k, v = self.qkv(win).view(win.size(0), -1, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        bias = self.attn_bias.repeat(B, 1, 1).unsqueeze(1)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.proj(y.transpose(1, 2).reshape(-1, self.ws * self.ws, C)), nW


if __name__ == "__main__":
    y, nW = ShiftedWindowAttention()(torch.randn(2, 8, 8, 32))
    print(y.shape, nW)
