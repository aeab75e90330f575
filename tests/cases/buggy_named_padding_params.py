"""Parameters named for the torch padding convention (True = padding) used as keep masks."""
import torch
import torch.nn.functional as F
from torch import nn


def self_attend(q, k, v, word_pad):
    T = q.size(-2)
    future = torch.triu(torch.ones(T, T, dtype=torch.bool, device=q.device), 1)
    hidden = torch.logical_or(future[None, None], word_pad[:, None, None, :])  # True = hidden
    return F.scaled_dot_product_attention(q, k, v, attn_mask=hidden)  # expect: ML102


def pool(q, k, v, key_padding_mask):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=key_padding_mask[:, None, None, :])  # expect: ML102


class SpeechEncoder(nn.Module):
    def __init__(self, d=80):
        super().__init__()
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), 2)

    def forward(self, x, lens):
        B, T, _ = x.shape
        pad_mask = torch.zeros(B, T, device=x.device)
        for i, n in enumerate(lens.tolist()):
            pad_mask[i, n:] = 1.0
        return self.encoder(x, src_key_padding_mask=pad_mask)  # expect: ML201
