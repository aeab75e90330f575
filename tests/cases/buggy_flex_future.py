"""Packed-sequence LM attention on FlexAttention (document masking + causal)."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def build_doc_causal_mask(document_ids: torch.Tensor):
    # document_ids: (S,) id of the packed document each token belongs to
    def doc_causal(b, h, q_idx, kv_idx):
        same_doc = document_ids[q_idx] == document_ids[kv_idx]
        return same_doc & (q_idx <= kv_idx)

    S = document_ids.numel()
    return create_block_mask(doc_causal, B=None, H=None, Q_LEN=S, KV_LEN=S, device=document_ids.device)  # expect: ML102


class PackedAttention(nn.Module):
    def __init__(self, dim=64, n_heads=4):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, block_mask):
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=block_mask)
        return self.out(y.transpose(1, 2).reshape(B, S, D))
