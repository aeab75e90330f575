"""Classic HF extended additive mask (1 - mask) * finfo(dtype).min into SDPA, fp32. Correct."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BertSelfAttention(nn.Module):
    def __init__(self, hidden=256, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)

    def forward(self, hidden_states, attention_mask):
        B, S, C = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(B, S, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        ext = (1.0 - attention_mask[:, None, None, :].to(q.dtype)) * torch.finfo(q.dtype).min
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=ext)
        return ctx.transpose(1, 2).reshape(B, S, C)


class GPTAttention(nn.Module):
    def __init__(self, d=256, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return y.transpose(1, 2).reshape(B, T, C)
