"""Correct scaled_dot_product_attention masks: SDPA attends where a bool mask is True."""
import torch
import torch.nn as nn
import torch.nn.functional as F

CONTEXT_LENGTH = 1024
CAUSAL = torch.tril(torch.ones(CONTEXT_LENGTH, CONTEXT_LENGTH, dtype=torch.bool))


class CausalSelfAttention(nn.Module):
    """is_causal=True and no mask: the usual GPT fast path."""

    def __init__(self, d_model, num_heads, dropout=0.0):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.dropout = dropout

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.num_heads, -1).transpose(1, 2) for t in (q, k, v))
        p = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=None, dropout_p=p, is_causal=True)
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


class MaskedSelfAttention(nn.Module):
    """An explicit keep mask: the inverted MHA mask, a tril mask, a constant, and padding."""

    def __init__(self, d_model, num_heads, pad_id=0):
        super().__init__()
        self.num_heads = num_heads
        self.pad_id = pad_id
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)

    def _heads(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        return [t.view(B, T, self.num_heads, -1).transpose(1, 2) for t in (q, k, v)]

    def forward(self, x, input_ids):
        B, T, C = x.shape
        q, k, v = self._heads(x)
        future = torch.triu(torch.ones(T, T, device=x.device), diagonal=1).bool()
        y1 = F.scaled_dot_product_attention(q, k, v, attn_mask=~future)
        keep = torch.tril(torch.ones(T, T, dtype=torch.bool, device=x.device))
        y2 = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        y3 = F.scaled_dot_product_attention(q, k, v, attn_mask=CAUSAL[:T, :T].to(x.device))
        not_pad = (input_ids != self.pad_id)[:, None, None, :]  # (N, 1, 1, S)
        y4 = F.scaled_dot_product_attention(q, k, v, attn_mask=not_pad & keep)
        y = (y1 + y2 + y3 + y4) / 4
        return self.proj(y.transpose(1, 2).reshape(B, T, C))
