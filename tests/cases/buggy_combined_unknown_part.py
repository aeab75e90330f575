"""Packed documents: a causal mask combined with a same-document test keeps its polarity."""
import torch
import torch.nn.functional as F
from torch import nn


def packed_keep_mask(doc_ids: torch.Tensor) -> torch.Tensor:
    L = doc_ids.size(0)
    causal = torch.tril(torch.ones(L, L, dtype=torch.bool, device=doc_ids.device))
    same_doc = doc_ids[:, None] == doc_ids[None, :]
    return causal & same_doc  # True = may attend


def packed_block_mask(segments: torch.Tensor) -> torch.Tensor:
    L = segments.size(0)
    future = torch.triu(torch.ones(L, L, dtype=torch.bool), diagonal=1)
    return future | (segments[:, None] != segments[None, :])  # True = hidden


class PackedMHA(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, doc_ids):
        keep = packed_keep_mask(doc_ids)
        return self.attn(x, x, x, attn_mask=keep)[0]  # expect: ML101


class PackedSDPA(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, segments):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        hidden = packed_block_mask(segments)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=hidden)  # expect: ML102
        return y.transpose(1, 2).reshape(B, L, D)
