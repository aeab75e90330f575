"""modeling_mixformer_sequential.py (phi-1 remote code, excerpt).

The attention expects a boolean key padding mask (True = real token); callers
(generate / pipelines) pass the tokenizer's int64 attention_mask.  Torch
raises on the bug (masked_fill_ only supports boolean masks)."""
import math
from typing import Optional

import torch
import torch.nn as nn


class SelfAttention(nn.Module):
    def __init__(self, causal=True, softmax_scale=None):
        super().__init__()
        self.causal = causal
        self.softmax_scale = softmax_scale

    def forward(self, qkv, key_padding_mask: Optional[torch.BoolTensor] = None):
        batch_size, seqlen = qkv.shape[0], qkv.shape[1]
        q, k, v = qkv.unbind(dim=2)
        scale = self.softmax_scale or 1.0 / math.sqrt(q.shape[-1])
        scores = torch.einsum("bthd,bshd->bhts", q, k * scale)
        if key_padding_mask is not None:
            padding_mask = torch.full((batch_size, seqlen), -10000.0, dtype=scores.dtype, device=scores.device)
            padding_mask.masked_fill_(key_padding_mask, 0.0)
            scores = scores + padding_mask[:, None, None, :]
        if self.causal:
            causal_mask = torch.triu(torch.full((seqlen, seqlen), -10000.0, device=scores.device), 1)
            scores = scores + causal_mask
        attention = torch.softmax(scores, dim=-1)
        return torch.einsum("bhts,bshd->bthd", attention, v)


class MHA(nn.Module):
    def __init__(self, d_model=32, n_head=4):
        super().__init__()
        self.n_head, self.head_dim = n_head, d_model // n_head
        self.Wqkv = nn.Linear(d_model, 3 * d_model)
        self.inner_attn = SelfAttention(causal=True)
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(self, x, past_key_values=None, attention_mask=None, **kwargs):
        b, s, _ = x.shape
        qkv = self.Wqkv(x).view(b, s, 3, self.n_head, self.head_dim)
        if attention_mask is not None:
            attention_mask = attention_mask.bool()
        context = self.inner_attn(qkv, key_padding_mask=attention_mask)
        return self.out_proj(context.reshape(b, s, -1))


if __name__ == "__main__":
    torch.manual_seed(0)
    mha = MHA()
    x = torch.randn(2, 5, 32)
    attention_mask = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])  # int64 from the tokenizer
    x2 = x.clone(); x2[0, :2] = torch.randn(2, 32) * 10
    with torch.no_grad():
        a, b = mha(x, attention_mask=attention_mask), mha(x2, attention_mask=attention_mask)
    print("real-token change from left-pad content:", (a[0, 2:] - b[0, 2:]).abs().max().item())
