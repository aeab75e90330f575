"""scaled_dot_product_attention given a padding mask *and* is_causal=True (P4-8).

The math backend and dropout raise "Explicit attn_mask should not be set when is_causal=True";
other backends silently combine the two.  Merge the causal part into the mask instead.
"""
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

    def forward(self, x, token_mask):
        # token_mask: (N, T) bool, True = real token
        B, T, C = x.shape
        q = self.q(x).view(B, T, self.n_heads, -1).transpose(1, 2)
        k, v = (t.view(B, T, self.n_heads, -1).transpose(1, 2) for t in self.kv(x).chunk(2, -1))
        attn_mask = token_mask[:, None, None, :]
        p = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=p, is_causal=True)  # expect: ML403
        return self.o(y.transpose(1, 2).reshape(B, T, C))
