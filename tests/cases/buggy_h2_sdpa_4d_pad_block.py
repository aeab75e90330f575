"""SDPA port of a BERT-style encoder with a 4-D padding mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class EncoderSelfAttention(nn.Module):
    def __init__(self, hidden=768, heads=12, pad_id=0):
        super().__init__()
        self.heads, self.pad_id = heads, pad_id
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.o = nn.Linear(hidden, hidden)

    def forward(self, hidden_states, input_ids):
        B, S, C = hidden_states.shape
        qkv = self.qkv(hidden_states).reshape(B, S, 3, self.heads, C // self.heads)
        q, k, v = qkv.unbind(2)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        pad = (input_ids == self.pad_id)[:, None, None, :]  # (B, 1, 1, S)
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=pad)  # expect: ML102
        return self.o(ctx.transpose(1, 2).reshape(B, S, C))
