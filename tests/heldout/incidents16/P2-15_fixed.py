# MixFormer-style sequential attention block (phi-1 family), padding aware.
import math
from typing import Optional, Union

import torch
import torch.nn as nn


class RotaryEmbedding(nn.Module):
    def __init__(self, dim: int, base: int = 10000):
        super().__init__()
        self.register_buffer("inv_freq", 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim)), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # x: (b, s, h, d)
        t = torch.arange(x.shape[1], dtype=torch.float32)
        freqs = torch.outer(t, self.inv_freq)
        cos, sin = freqs.cos()[None, :, None, :], freqs.sin()[None, :, None, :]
        x1, x2 = x[..., ::2], x[..., 1::2]
        return torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1).flatten(-2)


class SelfAttention(nn.Module):
    def __init__(self, causal: bool = True, softmax_scale: Optional[float] = None):
        super().__init__()
        self.causal = causal
        self.softmax_scale = softmax_scale

    def forward(self, qkv: torch.Tensor, key_padding_mask: Optional[torch.BoolTensor] = None) -> torch.Tensor:
        batch_size, seqlen = qkv.shape[0], qkv.shape[1]
        q, k, v = qkv.unbind(dim=2)
        softmax_scale = self.softmax_scale or 1.0 / math.sqrt(q.shape[-1])
        scores = torch.einsum("bthd,bshd->bhts", q, k * softmax_scale)
        if key_padding_mask is not None:
            padding_mask = torch.full((batch_size, seqlen), -10000.0, dtype=scores.dtype, device=scores.device)
            padding_mask.masked_fill_(key_padding_mask, 0.0)
            scores = scores + padding_mask[:, None, None, :]
        if self.causal:
            causal_mask = torch.triu(torch.full((seqlen, seqlen), -10000.0, device=scores.device), 1)
            scores = scores + causal_mask.to(dtype=scores.dtype)
        attention = torch.softmax(scores, dim=-1).to(v.dtype)
        return torch.einsum("bhts,bshd->bthd", attention, v)


class MHA(nn.Module):
    def __init__(self, d_model: int = 64, n_head: int = 4):
        super().__init__()
        self.n_head = n_head
        self.head_dim = d_model // n_head
        self.rotary_emb = RotaryEmbedding(self.head_dim)
        self.Wqkv = nn.Linear(d_model, 3 * d_model)
        self.inner_attn = SelfAttention(causal=True)
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(self, x: torch.FloatTensor, attention_mask: Optional[Union[torch.LongTensor, torch.BoolTensor]] = None):
        qkv = self.Wqkv(x).view(x.shape[0], x.shape[1], 3, self.n_head, self.head_dim)
        q, k, v = qkv.unbind(2)
        qkv = torch.stack([self.rotary_emb(q), self.rotary_emb(k), v], dim=2)
        context = self.inner_attn(qkv, key_padding_mask=attention_mask.bool() if attention_mask is not None else None)
        return self.out_proj(context.flatten(-2))
