"""Buggy: (N, L, S) per-sample mask into SDPA with N == H: broadcast as (1, N, L, S), so mask[i] lands on head i
of every sample (silent). The mask is loaded from a tensor file written at run time."""
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"
_PATH = os.path.join(tempfile.gettempdir(), "heldout_rt_b07b_mask.pt")


class Attn(nn.Module):
    def __init__(self, E=16, H=2):
        super().__init__()
        self.H = H
        self.qkv = nn.Linear(E, 3 * E)

    def forward(self, x, mask):
        N, L, E = x.shape
        q, k, v = self.qkv(x).view(N, L, 3, self.H, E // self.H).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML301
        return y


def _setup():
    torch.manual_seed(0)
    m = Attn().eval()
    x = torch.randn(2, 6, 16)
    lengths = torch.tensor([6, 3])
    keep = torch.arange(6)[None, :] < lengths[:, None]
    torch.save(keep[:, None, :].expand(2, 6, 6).contiguous(), _PATH)
    mask = torch.load(_PATH)  # (N, L, S) keep mask, N == H == 2
    return m, x, mask


def run():
    m, x, mask = _setup()
    with torch.no_grad():
        return (m(x, mask),)


def verify():
    m, x, mask = _setup()
    x2 = x.clone()
    x2[1, 3:] += 1.0  # padded tokens of sample 1
    with torch.no_grad():
        a, b = m(x, mask), m(x2, mask)
    d = (a[1, :, :3] - b[1, :, :3]).abs().max().item()
    return d > 1e-4, f"real queries of sample 1 moved by {d:.3g} when its padded tokens changed (head 0 uses sample 0's mask)"
