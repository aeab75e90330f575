"""Shifted-window attention block for a small Swin-style backbone (channels-last tensors)."""
import torch
from torch import nn
from torch.nn import functional as F


def window_partition(x, ws):
    B, H, W, C = x.shape
    x = x.view(B, H // ws, ws, W // ws, ws, C).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(-1, ws * ws, C)


def window_reverse(win, ws, H, W):
    B = win.size(0) // ((H // ws) * (W // ws))
    x = win.view(B, H // ws, W // ws, ws, ws, -1).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(B, H, W, -1)


def shifted_window_mask(H, W, ws, shift):
    """(nW, ws*ws, ws*ws): tokens that came from different image regions after the roll."""
    region = torch.zeros(1, H, W, 1)
    cnt = 0
    for hs in (slice(0, -ws), slice(-ws, -shift), slice(-shift, None)):
        for wsl in (slice(0, -ws), slice(-ws, -shift), slice(-shift, None)):
            region[:, hs, wsl, :] = cnt
            cnt += 1
    ids = window_partition(region, ws).squeeze(-1)  # (nW, ws*ws)
    return (ids[:, :, None] == ids[:, None, :]).float()


class ShiftedWindowBlock(nn.Module):
    def __init__(self, dim, heads, window=4, shift=2, resolution=(8, 8)):
        super().__init__()
        self.heads, self.ws, self.shift = heads, window, shift
        self.norm = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.register_buffer("win_mask", shifted_window_mask(*resolution, window, shift), persistent=False)

    def forward(self, x):  # (B, H, W, C)
        B, H, W, C = x.shape
        shortcut = x
        x = torch.roll(self.norm(x), (-self.shift, -self.shift), (1, 2))
        win = window_partition(x, self.ws)  # (B*nW, N, C)
        nW, N = self.win_mask.size(0), win.size(1)
        q, k, v = self.qkv(win).view(-1, N, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        mask = self.win_mask.repeat(B, 1, 1).unsqueeze(1)  # window index is the fast axis of B*nW
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML202
        out = self.proj(out.transpose(1, 2).reshape(-1, N, C))
        x = torch.roll(window_reverse(out, self.ws, H, W), (self.shift, self.shift), (1, 2))
        return shortcut + x


if __name__ == "__main__":
    torch.manual_seed(0)
    blk = ShiftedWindowBlock(32, 4)
    print("out", blk(torch.randn(2, 8, 8, 32)).shape)
