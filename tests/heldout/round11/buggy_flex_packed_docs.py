"""Sequence packing for pretraining: several documents per row, attention confined per document."""
import warnings

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def document_ids_from_lengths(lengths, total):
    ids = torch.repeat_interleave(torch.arange(len(lengths)), torch.as_tensor(lengths))
    pad = torch.full((total - ids.numel(),), -1, dtype=ids.dtype)
    return torch.cat([ids, pad])


def packed_mask_mod(doc_ids):
    def mask_mod(b, h, q_idx, kv_idx):
        same_doc = doc_ids[q_idx] == doc_ids[kv_idx]
        return same_doc & (kv_idx >= q_idx)  # expect: ML102
    return mask_mod


class PackedSelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, block_mask):
        B, T, D = x.shape
        qkv = self.to_qkv(x).reshape(B, T, 3, self.heads, D // self.heads)
        q, k, v = qkv.unbind(2)
        o = flex_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2),
                           block_mask=block_mask)
        return self.out(o.transpose(1, 2).reshape(B, T, D))


def build_block_mask(doc_lengths, seq_len):
    doc_ids = document_ids_from_lengths(doc_lengths, seq_len)
    return create_block_mask(packed_mask_mod(doc_ids), B=None, H=None,
                             Q_LEN=seq_len, KV_LEN=seq_len, device="cpu")


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    T = 128
    bm = build_block_mask([40, 50, 30], T)
    attn = PackedSelfAttention(64, 4)
    with torch.no_grad():
        y = attn(torch.randn(1, T, 64), bm)
    print(y.shape, torch.isfinite(y).all().item())
