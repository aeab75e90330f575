"""Packed-document pretraining with FlexAttention: per-document causal attention in a sliding window."""
import warnings

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

WINDOW = 32


def doc_causal_window(document_id: torch.Tensor):
    def mask_mod(b, h, q_idx, kv_idx):
        causal = q_idx >= kv_idx
        in_window = q_idx - kv_idx < WINDOW
        return causal & in_window & (document_id[b, q_idx] == document_id[b, kv_idx])
    return mask_mod


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x, block_mask):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return self.o(flex_attention(q, k, v, block_mask=block_mask).transpose(1, 2).reshape(B, T, D))


def document_ids(bos_flags):
    return torch.cumsum(bos_flags.long(), dim=1)


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    B, T = 2, 128
    bos = torch.rand(B, T) < 0.05
    bos[:, 0] = True
    doc = document_ids(bos)
    bm = create_block_mask(doc_causal_window(doc), B, None, T, T, device="cpu")
    with torch.no_grad():
        y = Block(64, 4)(torch.randn(B, T, 64), bm)
    print(y.shape, torch.isfinite(y).all().item())
