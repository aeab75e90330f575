import math
from typing import Optional

import torch
import torch.nn as nn


class SelfAttention(nn.Module):
    """Self-attention layer (compatible with PyTorch) working on packed qkv (batch, seqlen, 3, heads, head_dim)."""

    def __init__(self, causal=True, softmax_scale=None, attention_dropout=0.0):
        super().__init__()
        self.causal = causal
        self.softmax_scale = softmax_scale
        self.drop = nn.Dropout(attention_dropout)

    def forward(self, qkv, causal=None, key_padding_mask: Optional[torch.Tensor] = None):
        causal = self.causal if causal is None else causal
        batch_size, seqlen = qkv.shape[0], qkv.shape[1]
        q, k, v = qkv.unbind(dim=2)
        softmax_scale = self.softmax_scale or 1.0 / math.sqrt(q.shape[-1])
        scores = torch.einsum("bthd,bshd->bhts", q, k * softmax_scale)

        if key_padding_mask is not None:
            padding_mask = torch.full((batch_size, seqlen), -10000.0, dtype=scores.dtype, device=scores.device)
            padding_mask.masked_fill_(key_padding_mask, 0.0)  # BUG: integer attention_mask used as a boolean mask
            scores = scores + padding_mask[:, None, None, :]

        if causal:
            causal_mask = torch.triu(torch.full((seqlen, seqlen), -10000.0, device=scores.device), 1)
            scores = scores + causal_mask.to(dtype=scores.dtype)

        attention = torch.softmax(scores, dim=-1).to(v.dtype)
        attention = self.drop(attention)
        return torch.einsum("bhts,bshd->bthd", attention, v)


class MHA(nn.Module):
    def __init__(self, d_model=8, n_head=2):
        super().__init__()
        self.n_head, self.head_dim = n_head, d_model // n_head
        self.Wqkv = nn.Linear(d_model, 3 * d_model)
        self.inner_attn = SelfAttention(causal=True)
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(self, x, attention_mask=None):
        qkv = self.Wqkv(x).view(x.shape[0], x.shape[1], 3, self.n_head, self.head_dim)
        context = self.inner_attn(qkv, key_padding_mask=attention_mask)
        return self.out_proj(context.reshape(x.shape[0], x.shape[1], -1))


class ParallelBlock(nn.Module):
    def __init__(self, d_model=8, n_head=2):
        super().__init__()
        self.ln = nn.LayerNorm(d_model)
        self.mixer = MHA(d_model, n_head)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, hidden_states, attention_mask=None):
        h = self.ln(hidden_states)
        return hidden_states + self.mixer(h, attention_mask=attention_mask) + self.mlp(h)


def run():
    block = ParallelBlock()
    hidden_states = torch.randn(2, 5, 8)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])  # as returned by the tokenizer
    return block(hidden_states, attention_mask=attention_mask)
