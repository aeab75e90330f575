"""Shapes the table says each API does not take, in three layouts."""
import torch
import torch.nn.functional as F
from torch import nn


class Blocks(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.h = h
        self.mha = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, lengths):
        N, L, _ = x.shape
        pos = torch.arange(L, device=x.device)
        pad = pos[None, :] >= lengths[:, None]  # (N, S), True = padding
        per_sample = pad[:, None, :].expand(N, L, L)  # (N, L, S)
        y, _ = self.mha(x, x, x, attn_mask=per_sample)  # expect: ML301
        y4, _ = self.mha(x, x, x, attn_mask=pad[:, None, None, :].expand(N, self.h, L, L))  # expect: ML301
        y3, _ = self.mha(x, x, x, key_padding_mask=pad[:, None, :])  # expect: ML301
        return y + y4 + y3


def sdpa_with_sample_stacked(q, k, v, lengths, num_heads: int):
    N, H, L, _ = q.shape
    pos = torch.arange(L, device=q.device)
    real = pos[None, :] < lengths[:, None]
    stacked = real[:, None, :].expand(N, L, L).repeat_interleave(num_heads, dim=0)  # (N*H, L, S)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=stacked)  # expect: ML301
