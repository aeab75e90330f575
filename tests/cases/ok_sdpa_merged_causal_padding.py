"""Causal + padding for SDPA done by merging both into one keep mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DecoderSelfAttention(nn.Module):
    def __init__(self, d_model=1024, n_heads=16, dropout=0.1):
        super().__init__()
        self.n_heads = n_heads
        self.dropout = dropout
        self.q = nn.Linear(d_model, d_model)
        self.kv = nn.Linear(d_model, 2 * d_model)
        self.o = nn.Linear(d_model, d_model)

    def forward(self, x, token_mask=None):
        # token_mask: (N, T) bool, True = real token
        B, T, C = x.shape
        q = self.q(x).view(B, T, self.n_heads, -1).transpose(1, 2)
        k, v = (t.view(B, T, self.n_heads, -1).transpose(1, 2) for t in self.kv(x).chunk(2, -1))
        p = self.dropout if self.training else 0.0
        if token_mask is None:
            y = F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=True)
        else:
            causal = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
            attn_mask = token_mask[:, None, None, :] & causal
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=p, is_causal=False)
        return self.o(y.transpose(1, 2).reshape(B, T, C))
