"""Masks written through a boolean index, passed the right way round (silent)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Encoder(nn.Module):
    def __init__(self, vocab=100, d=64, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.emb = nn.Embedding(vocab, d)
        self.layer = nn.TransformerEncoderLayer(d, 4, batch_first=True)

    def forward(self, tokens):
        hide = torch.zeros(tokens.shape, dtype=torch.bool, device=tokens.device)
        hide[tokens == self.pad_idx] = True
        return self.layer(self.emb(tokens), src_key_padding_mask=hide)


def additive_bias(q, k, v, ids, pad_idx):
    bias = torch.zeros(ids.shape, device=ids.device)
    bias[ids == pad_idx] = float("-inf")
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias[:, None, None, :])
