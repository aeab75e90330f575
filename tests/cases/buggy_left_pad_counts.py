"""Left-padded batches described by how much padding precedes each sequence (an offset, a start,
a pad count): positions below it are padding, so these masks are True at the padding."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def left_pad_mask(start_idx, length):
    return torch.arange(length)[None, :] < start_idx[:, None]


def attend(q, k, v, pad_counts):
    n = k.shape[-2]
    pad = torch.arange(n, device=k.device)[None, :] < pad_counts[:, None]
    return F.scaled_dot_product_attention(q, k, v, attn_mask=pad[:, None, None, :])  # expect: ML102


class Encoder(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, offsets):
        keep = torch.arange(x.size(1))[None, :] >= offsets[:, None]
        return self.attn(x, x, x, key_padding_mask=keep)[0]  # expect: ML101


def sdpa_from_helper(q, k, v, start_idx):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=left_pad_mask(start_idx, k.shape[-2])[:, None, None])  # expect: ML102
