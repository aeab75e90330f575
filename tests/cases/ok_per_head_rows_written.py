"""(N*H, L, S) mask written per (sample, head) row: True = may attend, inverted for MHA. Correct."""
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, d=16, h=2):
        super().__init__()
        self.h = h
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, lens):
        B, L = x.shape[:2]
        allowed = torch.zeros(B * self.h, L, L, dtype=torch.bool)
        for j in range(B * self.h):
            n = lens[j // self.h]
            allowed[j, :n, :n] = True
        allowed[:, torch.arange(L), torch.arange(L)] = True
        return self.attn(x, x, x, attn_mask=~allowed)[0]


class Enc(nn.Module):
    """(B, H, W) keep mask reshaped to (B, H*W) and inverted after a CLS key is prepended."""
    def __init__(self, d=16):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, 2, batch_first=True)

    def forward(self, x, sizes, H, W):
        B = x.size(0)
        valid = torch.zeros(B, H, W, dtype=torch.bool)
        for i, (h, w) in enumerate(sizes):
            valid[i, :h, :w] = True
        keep = torch.cat([torch.ones(B, 1, dtype=torch.bool), valid.flatten(1)], dim=1)
        return self.attn(x, x, x, key_padding_mask=~keep)[0]
