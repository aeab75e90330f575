"""Causal masks that also hide the diagonal (P7-1).

triu(ones) without diagonal=1 blocks the token itself: the first query has no key left (NaN
rows in nn.MultiheadAttention, zero rows in SDPA) and no token ever attends to itself.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalEncoder(nn.Module):
    def __init__(self, d_model=256, nhead=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.ff = nn.Linear(d_model, d_model)

    def forward(self, x):
        T = x.size(1)
        mask = torch.triu(torch.ones(T, T, device=x.device)).bool()
        h, _ = self.attn(x, x, x, attn_mask=mask)  # expect: ML404
        return self.ff(x + h)


class StrictlyPastSDPA(nn.Module):
    def __init__(self, d_model=256, nhead=4):
        super().__init__()
        self.nhead = nhead
        self.qkv = nn.Linear(d_model, 3 * d_model)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.nhead, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        past = torch.tril(torch.ones(T, T, dtype=torch.bool, device=x.device), diagonal=-1)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=past)  # expect: ML404
        return y.transpose(1, 2).reshape(B, T, C)
