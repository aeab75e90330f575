"""Buggy: a prefix LM on flex_attention whose mask_mod opens the prefix by query index
(q_idx < prefix) instead of key index (kv_idx < prefix)."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

KIND = "buggy"
PREFIX = 3


def prefix_lm(b, h, q_idx, kv_idx):
    return (q_idx >= kv_idx) | (q_idx < PREFIX)


class Attn(nn.Module):
    def __init__(self, dim=16, heads=2):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        block = create_block_mask(prefix_lm, None, None, T, T, device="cpu")
        return flex_attention(q, k, v, block_mask=block)  # expect: ML401


def run():
    torch.manual_seed(0)
    x = torch.randn(2, 8, 16)
    m = Attn().eval()
    with torch.no_grad():  # flex_attention has no backward on CPU
        return (m(x),)
