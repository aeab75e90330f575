import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F


def window_partition(x, ws):
    B, H, W, C = x.shape
    x = x.view(B, H // ws, ws, W // ws, ws, C)
    return x.permute(0, 1, 3, 2, 4, 5).reshape(-1, ws, ws, C)


def region_labels(res, ws, shift):
    img_mask = torch.zeros((1, res, res, 1))
    slices = (slice(0, -ws), slice(-ws, -shift), slice(-shift, None))
    for cnt, (h, w) in enumerate(itertools.product(slices, slices)):
        img_mask[:, h, w, :] = cnt
    return window_partition(img_mask, ws).view(-1, ws * ws)


class WindowMHA(nn.Module):
    def __init__(self, dim=32, heads=2, res=8, ws=4, shift=2):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        mw = region_labels(res, ws, shift)
        self.register_buffer("mask", mw[:, :, None] == mw[:, None, :])

    def forward(self, win):
        m = self.mask.repeat(win.size(0) // self.mask.size(0), 1, 1).repeat_interleave(self.heads, 0)
        return self.attn(win, win, win, attn_mask=m)[0]  # expect: ML101


class WindowSDPA(nn.Module):
    def __init__(self, res=8, ws=4, shift=2):
        super().__init__()
        mw = region_labels(res, ws, shift)
        self.register_buffer("mask", mw.unsqueeze(1) != mw.unsqueeze(2))

    def forward(self, q, k, v):  # (B*nW, h, L, d)
        nW = self.mask.size(0)
        m = self.mask.repeat(q.size(0) // nW, 1, 1)[:, None]
        return F.scaled_dot_product_attention(q, k, v, attn_mask=m)  # expect: ML102


