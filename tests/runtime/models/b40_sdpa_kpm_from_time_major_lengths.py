"""Buggy: a speech model keeps features time-major (T, B, C); the key mask for SDPA is built from
lengths as arange(T)[:, None] < lengths (a (T, B) keep mask) and then broadcast as
mask[:, None, None, :], so sample b reads row b of a (T, B) mask. T == B == 6."""
import torch
import torch.nn as nn
import torch.nn.functional as F

KIND = "buggy"


class Block(nn.Module):
    def __init__(self, dim=16, heads=2):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, feats, lengths):  # feats (T, B, C)
        T, B, C = feats.shape
        valid = torch.arange(T)[:, None] < lengths[None, :]  # (T, B)
        q, k, v = self.qkv(feats.transpose(0, 1)).view(B, T, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=valid[:, None, None, :])  # expect: ML304|ML301


def run():
    torch.manual_seed(0)
    feats = torch.randn(6, 6, 16)
    lengths = torch.tensor([6, 4, 5, 2, 6, 3])
    blk = Block().train()
    out = blk(feats, lengths)
    out.sum().backward()
    return (out.detach(), blk.qkv.weight.grad)
