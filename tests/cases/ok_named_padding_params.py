"""The same parameters used with the convention their names say."""
import torch
import torch.nn.functional as F
from torch import nn


def self_attend(q, k, v, word_pad):
    T = q.size(-2)
    keep = torch.tril(torch.ones(T, T, dtype=torch.bool, device=q.device))
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep & ~word_pad[:, None, None, :])


class Block(nn.Module):
    def __init__(self, d=64, pad=0):
        super().__init__()
        self.pad = pad
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, x, key_padding_mask):
        return self.attn(x, x, x, key_padding_mask=key_padding_mask)[0]
