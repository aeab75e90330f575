"""0/1 float masks used as additive attention masks (P2-1, P2-4).

A float attn_mask is *added* to the attention logits in nn.MultiheadAttention and in
scaled_dot_product_attention: torch.tril(torch.ones(T, T)) adds +1 to the past and 0 to the
future, which masks nothing.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalMHA(nn.Module):
    def __init__(self, d_model, nhead):
        super().__init__()
        self.mha = nn.MultiheadAttention(d_model, nhead)  # (T, N, E) inputs

    def forward(self, x):
        T = x.size(0)
        mask = torch.tril(torch.ones(T, T, device=x.device))
        out, weights = self.mha(x, x, x, attn_mask=mask)  # expect: ML202
        return out, weights


class PaddedSDPA(nn.Module):
    def __init__(self, d_model, nhead, pad_id=0):
        super().__init__()
        self.nhead = nhead
        self.pad_id = pad_id
        self.qkv = nn.Linear(d_model, 3 * d_model)

    def forward(self, x, tokens):
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.nhead, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        keep = (tokens != self.pad_id).float()[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)  # expect: ML202
        return y.transpose(1, 2).reshape(B, T, C)
