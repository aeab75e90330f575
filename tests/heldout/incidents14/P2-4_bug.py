import numpy as np
import torch
from torch import nn, Tensor
from typing import Optional


class _ScaledDotProductAttention(nn.Module):
    r"""Scaled Dot-Product Attention module (Attention is all you need by Vaswani et al., 2017)
    with optional residual attention from previous layer"""

    def __init__(self, d_model, n_heads, attn_dropout=0., res_attention=False):
        super().__init__()
        self.attn_dropout = nn.Dropout(attn_dropout)
        self.res_attention = res_attention
        head_dim = d_model // n_heads
        self.scale = nn.Parameter(torch.tensor(head_dim ** -0.5), requires_grad=False)

    def forward(self, q: Tensor, k: Tensor, v: Tensor, prev: Optional[Tensor] = None,
                key_padding_mask: Optional[Tensor] = None, attn_mask: Optional[Tensor] = None):
        # Scaled MatMul (q, k) - similarity scores for all pairs of positions in an input sequence
        attn_scores = torch.matmul(q, k) * self.scale      # attn_scores : [bs x n_heads x max_q_len x q_len]

        # Add pre-softmax attention scores from the previous layer (optional)
        if prev is not None: attn_scores = attn_scores + prev

        # Attention mask (optional)
        if attn_mask is not None:                                     # attn_mask with shape [q_len x seq_len] - only used when q_len == seq_len
            if attn_mask.dtype == torch.bool:
                attn_scores.masked_fill_(attn_mask, -np.inf)
            else:
                attn_scores += attn_mask

        # Key padding mask (optional)
        if key_padding_mask is not None:                              # mask with shape [bs x q_len] (only when max_w_len == q_len)
            attn_scores.masked_fill_(key_padding_mask.unsqueeze(1).unsqueeze(2), -np.inf)

        # normalize the attention weights
        attn_weights = torch.softmax(attn_scores, dim=-1)             # attn_weights   : [bs x n_heads x max_q_len x q_len]
        attn_weights = self.attn_dropout(attn_weights)

        # compute the new values given the attention weights
        output = torch.matmul(attn_weights, v)                        # output: [bs x n_heads x max_q_len x d_v]

        if self.res_attention: return output, attn_weights, attn_scores
        else: return output, attn_weights


def get_causal_mask(q_len, device=None):
    "1 marks the positions a query must not see"
    mask = torch.triu(torch.ones(q_len, q_len, device=device), diagonal=1)
    return mask  # BUG


if __name__ == "__main__":
    torch.manual_seed(0)
    bs, n_heads, q_len, d_k = 2, 2, 5, 4
    sdp = _ScaledDotProductAttention(d_model=n_heads * d_k, n_heads=n_heads)
    q = torch.randn(bs, n_heads, q_len, d_k)
    k = torch.randn(bs, n_heads, d_k, q_len)
    v = torch.randn(bs, n_heads, q_len, d_k)
    output, attn_weights = sdp(q, k, v, attn_mask=get_causal_mask(q_len))
    future = torch.triu(torch.ones(q_len, q_len), diagonal=1).bool()
    print(f"attention weight on masked (future) positions: {(attn_weights * future).sum(-1).max().item():.3f}")
