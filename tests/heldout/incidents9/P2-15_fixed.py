import math
from typing import Optional

import torch
import torch.nn as nn


class SelfAttention(nn.Module):
    """Implement the scaled dot product attention with softmax (MixFormer-style)."""

    def __init__(self, causal: bool = True, softmax_scale: Optional[float] = None):
        super().__init__()
        self.causal = causal
        self.softmax_scale = softmax_scale

    def forward(self, qkv, causal=None, key_padding_mask=None):
        causal = self.causal if causal is None else causal
        batch_size, seqlen = qkv.shape[0], qkv.shape[1]
        q, k, v = qkv.unbind(dim=2)
        softmax_scale = self.softmax_scale or 1.0 / math.sqrt(q.shape[-1])
        scores = torch.einsum("bthd,bshd->bhts", q, k * softmax_scale)
        if key_padding_mask is not None:
            padding_mask = torch.full((batch_size, seqlen), -10000.0, dtype=scores.dtype, device=scores.device)
            padding_mask.masked_fill_(key_padding_mask, 0.0)
            scores = scores + padding_mask[:, None, None, :]
        if causal:
            causal_mask = torch.triu(torch.full((seqlen, seqlen), -10000.0, device=scores.device), 1)
            scores = scores + causal_mask.to(dtype=scores.dtype)
        attention = torch.softmax(scores, dim=-1).to(v.dtype)
        return torch.einsum("bhts,bshd->bthd", attention, v)


class MHA(nn.Module):
    def __init__(self, d_model=64, n_head=4):
        super().__init__()
        self.n_head, self.head_dim = n_head, d_model // n_head
        self.Wqkv = nn.Linear(d_model, 3 * d_model)
        self.out_proj = nn.Linear(d_model, d_model)
        self.inner_attn = SelfAttention(causal=True)

    def forward(self, x, attention_mask=None):
        qkv = self.Wqkv(x).view(x.shape[0], x.shape[1], 3, self.n_head, self.head_dim)
        if attention_mask is not None:
            attention_mask = attention_mask.bool()
        context = self.inner_attn(qkv, key_padding_mask=attention_mask)
        return self.out_proj(context.flatten(-2))


if __name__ == "__main__":
    torch.manual_seed(0)
    mha = MHA()
    x = torch.randn(2, 5, 64)
    # tokenizer-style mask, int64 with 1 = keep
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
    print(mha(x, attention_mask=attention_mask).shape)
