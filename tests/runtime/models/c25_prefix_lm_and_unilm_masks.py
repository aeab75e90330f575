"""Correct: masks closed under composition that are not plain triangles: a flex prefix LM opened
by key index, a UniLM seq2seq mask (source rows see the source, target rows the source and the
earlier target), and global tokens in a bidirectional encoder (no causal rows)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

KIND = "correct"
PREFIX = 3


def prefix_lm(b, h, q_idx, kv_idx):
    return (q_idx >= kv_idx) | (kv_idx < PREFIX)


def unilm_mask(src_len, T):
    i = torch.arange(T)[:, None]
    j = torch.arange(T)[None, :]
    return torch.where(i < src_len, j < src_len, (j < src_len) | (j <= i))


def run():
    torch.manual_seed(0)
    proj = nn.Linear(16, 48)
    x = torch.randn(2, 8, 16)
    q, k, v = proj(x).view(2, 8, 3, 2, 8).permute(2, 0, 3, 1, 4)
    block = create_block_mask(prefix_lm, None, None, 8, 8, device="cpu")
    with torch.no_grad():  # flex_attention has no backward on CPU
        a = flex_attention(q.detach(), k.detach(), v.detach(), block_mask=block)
    b = F.scaled_dot_product_attention(q, k, v, attn_mask=unilm_mask(3, 8))
    enc = nn.MultiheadAttention(16, 2, batch_first=True)
    blocked = (torch.arange(8)[:, None] - torch.arange(8)[None, :]).abs() > 1
    blocked[:, :2] = False
    blocked[:2] = False
    c, _ = enc(x, x, x, attn_mask=blocked)
    (b.sum() + c.sum()).backward()
    return (a.detach(), b.detach(), c.detach(), proj.weight.grad)
