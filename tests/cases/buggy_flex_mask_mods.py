"""FlexAttention mask_mods that return True where attention must be *prevented*.

A mask_mod returns True where the query may attend (create_block_mask docstring).  The first
one allows every key at or after the query (the future); the second, for padded documents,
keeps the causal part but allows only the padded keys.
"""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def causal(b, h, q_idx, kv_idx):
    return q_idx <= kv_idx


def make_padded_causal(lengths):
    def mask_mod(b, h, q_idx, kv_idx):
        return (q_idx >= kv_idx) & (kv_idx >= lengths[b])

    return mask_mod


class FlexSelfAttention(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.out = nn.Linear(d_model, d_model)

    def _split(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        return [t.view(B, T, self.n_heads, -1).transpose(1, 2) for t in (q, k, v)]

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self._split(x)
        block_mask = create_block_mask(causal, B=None, H=None, Q_LEN=T, KV_LEN=T, device=x.device)  # expect: ML102
        y = flex_attention(q, k, v, block_mask=block_mask)
        return self.out(y.transpose(1, 2).reshape(B, T, C))

    def forward_padded(self, x, lengths):
        B, T, C = x.shape
        q, k, v = self._split(x)
        block_mask = create_block_mask(make_padded_causal(lengths), B, None, T, T, device=x.device)  # expect: ML102
        y = flex_attention(q, k, v, block_mask=block_mask)
        return self.out(y.transpose(1, 2).reshape(B, T, C))
