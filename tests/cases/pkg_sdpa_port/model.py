"""The attention layer after its port from nn.MultiheadAttention to SDPA.

The masks still come from the MHA-era helpers, whose True means "hidden"; SDPA attends where
True.  (Script-style import: the directory is on sys.path, there is no __init__.py.)
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from masks import make_causal_mask, make_padding_mask


class SelfAttention(nn.Module):
    def __init__(self, d_model=512, n_heads=8):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)

    def forward(self, x, tokens):
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.n_heads, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        hidden = make_causal_mask(T, x.device)[None, None] | make_padding_mask(tokens)[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=hidden)  # expect: ML102
        return self.proj(y.transpose(1, 2).reshape(B, T, C))

    def forward_no_padding(self, x):
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.n_heads, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=~make_causal_mask(T, x.device))
        return self.proj(y.transpose(1, 2).reshape(B, T, C))
