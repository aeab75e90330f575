"""Masks built with torch.ones / torch.zeros and no dtype are float32; `&` and `|` on them raise
("bitwise_and_cpu" not implemented for 'Float'): a causal buffer `tril(ones(n, n))` joined to a
bool padding mask, and a float window filled by slices joined with `|`."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SetAttention(nn.Module):
    def __init__(self, dim=32, heads=4, max_len=64):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.register_buffer("causal", torch.tril(torch.ones(max_len, max_len)))

    def forward(self, x, valid):
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        keep = self.causal[:S, :S] & valid[:, None, None, :]  # expect: ML202
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)


def local_block_mask(T, w, pad):
    near = torch.zeros(T, T)
    for i in range(T):
        near[i, max(0, i - w):i + 1] = 1
    return near | pad[:, None, :]  # expect: ML202
