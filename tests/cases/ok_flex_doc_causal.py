"""FlexAttention with causal + per-sequence length masking."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def length_causal_block_mask(lengths: torch.Tensor, max_len: int):
    def mask_mod(b, h, q_idx, kv_idx):
        causal = q_idx >= kv_idx
        in_range = kv_idx < lengths[b]
        return causal & in_range

    return create_block_mask(mask_mod, B=lengths.numel(), H=None, Q_LEN=max_len, KV_LEN=max_len, device=lengths.device)


class FlexSelfAttention(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, lengths):
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        bm = length_causal_block_mask(lengths, S)
        y = flex_attention(q, k, v, block_mask=bm)
        return self.o(y.transpose(1, 2).reshape(B, S, D))
