"""Shifted-window attention for a Swin-style remote-sensing backbone (channels-last)."""
import torch
from torch import nn
from torch.nn import functional as F


def to_windows(x, ws):
    B, H, W, C = x.shape
    return x.view(B, H // ws, ws, W // ws, ws, C).permute(0, 1, 3, 2, 4, 5).reshape(-1, ws * ws, C)


def from_windows(w, ws, H, W):
    B = w.size(0) // ((H // ws) * (W // ws))
    return w.view(B, H // ws, W // ws, ws, ws, -1).permute(0, 1, 3, 2, 4, 5).reshape(B, H, W, -1)


def region_bias(H, W, ws, shift):
    img = torch.zeros(1, H, W, 1)
    label = 0
    for hs in (slice(0, -ws), slice(-ws, -shift), slice(-shift, None)):
        for wsl in (slice(0, -ws), slice(-ws, -shift), slice(-shift, None)):
            img[:, hs, wsl, :] = label
            label += 1
    win = to_windows(img, ws).squeeze(-1)
    diff = win[:, None, :] - win[:, :, None]
    return diff.masked_fill(diff != 0, -100.0).masked_fill(diff == 0, 0.0)  # (nW, N, N)


class SwinBlock(nn.Module):
    def __init__(self, dim=32, heads=4, window=4, shift=2, resolution=(8, 8)):
        super().__init__()
        self.h, self.ws, self.shift = heads, window, shift
        self.norm = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.register_buffer("bias", region_bias(*resolution, window, shift), persistent=False)

    def forward(self, x):
        B, H, W, C = x.shape
        y = torch.roll(self.norm(x), shifts=(-self.shift, -self.shift), dims=(1, 2))
        win = to_windows(y, self.ws)
        N = win.size(1)
        q, k, v = self.qkv(win).view(-1, N, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        nW = self.bias.size(0)
        q, k, v = (t.view(B, nW, self.h, N, -1) for t in (q, k, v))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=self.bias[None, :, None])
        out = self.proj(out.transpose(2, 3).reshape(B * nW, N, C))
        y = torch.roll(from_windows(out, self.ws, H, W), shifts=(self.shift, self.shift), dims=(1, 2))
        return x + y


if __name__ == "__main__":
    torch.manual_seed(0)
    print("out", SwinBlock()(torch.randn(2, 8, 8, 32)).shape)
