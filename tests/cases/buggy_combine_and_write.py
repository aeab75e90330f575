"""Masks combined with functions and biases, and padding masks written sample by sample."""
import torch
import torch.nn.functional as F
from torch import nn


def alibi_plus_binary(q, k, v, alibi):
    T = q.size(-2)
    causal = torch.tril(torch.ones(T, T, device=q.device))  # 0/1 float: masks nothing when added
    bias = causal + alibi
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML202


def diagonal_plus_bias(q, k, v, rel_bias):
    T = q.size(-2)
    future = torch.triu(torch.full((T, T), float("-inf"), device=q.device))  # diagonal 0: hides j >= i
    return F.scaled_dot_product_attention(q, k, v, attn_mask=future + rel_bias)  # expect: ML404


def logical_or_block(q, k, v, segments):
    T = q.size(-2)
    future = torch.triu(torch.ones(T, T, dtype=torch.bool, device=q.device), diagonal=1)
    hidden = torch.logical_or(future, segments[:, None] != segments[None, :])
    return F.scaled_dot_product_attention(q, k, v, attn_mask=hidden)  # expect: ML102


def maximum_of_keeps(x, mha, doc_ids):
    T = x.size(1)
    keep = torch.tril(torch.ones(T, T, dtype=torch.bool, device=x.device))
    merged = torch.minimum(keep, doc_ids[:, None] == doc_ids[None, :])
    return mha(x, x, x, attn_mask=merged)


class SpeechEncoder(nn.Module):
    def __init__(self, d=80):
        super().__init__()
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), 2)
        self.mha = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, feats, feat_lens, doc_ids):
        N, T, _ = feats.shape
        keep = torch.zeros(N, T, dtype=torch.bool, device=feats.device)
        for i, length in enumerate(feat_lens):
            keep[i, :length] = True
        h = self.enc(feats, src_key_padding_mask=keep)  # expect: ML101
        return maximum_of_keeps(h, self.mha, doc_ids)  # expect: ML101


class FloatPadding(nn.Module):
    def __init__(self, d=80):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(d, 4, batch_first=True)

    def forward(self, feats, lengths):
        N, T, _ = feats.shape
        pad = torch.zeros(N, T, device=feats.device)
        for i in range(N):
            pad[i, lengths[i]:] = 1.0
        return self.layer(feats, src_key_padding_mask=pad)  # expect: ML201
