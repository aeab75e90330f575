"""Masks preallocated once and written whole through full slices. The destination's dtype is what
the mask is: a bool buffer written with a 0/1 float tril is a bool keep mask (SDPA: correct); a
float buffer written with a bool is 0/1 float (handled with masked_fill afterwards). Correct."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Decoder(nn.Module):
    def __init__(self, d=64, h=4, max_len=256):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.mha = nn.MultiheadAttention(d, h, batch_first=True)
        keep = torch.empty(max_len, max_len, dtype=torch.bool)
        keep[:, :] = torch.tril(torch.ones(max_len, max_len))
        self.register_buffer("keep", keep, persistent=False)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=self.keep[:t, :t])
        y = y.transpose(1, 2).reshape(b, t, d)

        mask = torch.empty(t, t, dtype=torch.bool, device=x.device)
        mask[:, 0:] = torch.ones(t, t, device=x.device).tril()
        y2 = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return y + y2.transpose(1, 2).reshape(b, t, d)
