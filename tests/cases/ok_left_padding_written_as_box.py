"""Left-padded keys blocked with a 3-D per-sample mask: True/-inf written at the first n_pad keys
for every query.  Correct per torch (MHA bool attn_mask: True = not allowed; float: added)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d=16, h=2):
        super().__init__()
        self.h = h
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, n_pad):
        B, L = x.shape[:2]
        block = torch.zeros(B, L, L, dtype=torch.bool)
        for i in range(B):
            block[i, :L, :n_pad[i]] = True
        return self.attn(x, x, x, attn_mask=block.repeat_interleave(self.h, 0))[0]


def sdpa_bias(q, k, v, n_pad):
    B, Lq, Lk = q.size(0), q.size(2), k.size(2)
    bias = torch.zeros(B, Lq, Lk)
    for i in range(B):
        bias[i, :Lq, :n_pad[i]] = float("-inf")
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias[:, None])


class Video(nn.Module):
    """Left-padded clips: the first n_pad frames of each clip are padding (all P patches)."""
    def __init__(self, d=16):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, 2, batch_first=True)

    def forward(self, x, n_pad, T, P):
        B = x.size(0)
        pad = torch.zeros(B, T, P, dtype=torch.bool)
        for i in range(B):
            pad[i, :n_pad[i], :P] = True
        return self.attn(x, x, x, key_padding_mask=pad.flatten(1))[0]
