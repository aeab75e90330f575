"""flex_attention over packed documents; closure mask_mod is causal within a document. Correct."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def document_causal(doc_ids):
    def mask_mod(b, h, q_idx, kv_idx):
        same_doc = doc_ids[q_idx] == doc_ids[kv_idx]
        return same_doc & (q_idx >= kv_idx)
    return mask_mod


class PackedAttention(nn.Module):
    def __init__(self, d=256, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, doc_ids):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        block_mask = create_block_mask(document_causal(doc_ids), None, None, T, T, device=x.device)
        y = flex_attention(q, k, v, block_mask=block_mask)
        return y.transpose(1, 2).reshape(B, T, C)
