"""Mask ranks each API accepts."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MaskedEncoderLayer(nn.Module):
    def __init__(self, d_model, num_heads, pad_id=0):
        super().__init__()
        self.num_heads = num_heads
        self.pad_id = pad_id
        self.attn = nn.MultiheadAttention(d_model, num_heads, batch_first=True)

    def forward(self, x, ids):
        N, T, _ = x.shape
        pad = ids == self.pad_id
        a, _ = self.attn(x, x, x, key_padding_mask=pad, need_weights=False)
        by_head = pad[:, None, None, :].expand(-1, self.num_heads, T, -1).reshape(N * self.num_heads, T, T)
        b, _ = self.attn(x, x, x, attn_mask=by_head, need_weights=False)
        idx = torch.arange(T, device=x.device)
        window = (idx[None, :] - idx[:, None]).abs() > 8
        c, _ = self.attn(x, x, x, attn_mask=window, key_padding_mask=pad, need_weights=False)
        return a + b + c


class SDPASelfAttention(nn.Module):
    def __init__(self, d_model, num_heads, pad_id=0):
        super().__init__()
        self.num_heads = num_heads
        self.pad_id = pad_id
        self.qkv = nn.Linear(d_model, 3 * d_model)

    def forward(self, x, input_ids):
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.num_heads, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        keep = (input_ids != self.pad_id)[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        keep2 = (input_ids != self.pad_id).view(B, 1, 1, T)
        y2 = F.scaled_dot_product_attention(q, k, v, attn_mask=keep2.expand(B, self.num_heads, T, T))
        return (y + y2).transpose(1, 2).reshape(B, T, C)
