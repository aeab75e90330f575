"""Correct twins: additive masks plus biases, unions taken with minimum, padding written per sample."""
import torch
import torch.nn.functional as F
from torch import nn


def alibi_plus_additive(q, k, v, alibi):
    T = q.size(-2)
    causal = torch.triu(torch.full((T, T), float("-inf"), device=q.device), diagonal=1)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=causal + alibi)


def union_of_additive(q, k, v, pad_bias):
    T = q.size(-2)
    causal = torch.triu(torch.full((T, T), torch.finfo(q.dtype).min, device=q.device), diagonal=1)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=torch.minimum(causal, pad_bias))


def logical_and_keep(q, k, v, doc_ids):
    T = q.size(-2)
    keep = torch.tril(torch.ones(T, T, dtype=torch.bool, device=q.device))
    return F.scaled_dot_product_attention(q, k, v, attn_mask=torch.logical_and(keep, doc_ids[:, None] == doc_ids[None, :]))


class SpeechEncoder(nn.Module):
    def __init__(self, d=80):
        super().__init__()
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), 2)

    def forward(self, feats, lengths):
        N, T, _ = feats.shape
        pad = torch.zeros(N, T, dtype=torch.bool, device=feats.device)
        for i in range(N):
            pad[i, lengths[i]:] = True
        return self.enc(feats, src_key_padding_mask=pad)
