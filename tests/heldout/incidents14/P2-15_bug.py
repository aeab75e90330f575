import math
from typing import Optional

import torch
import torch.nn as nn


class SelfAttention(nn.Module):
    """Implement the scaled dot product attention with softmax."""

    def __init__(self, causal: bool = True, softmax_scale: Optional[float] = None, attention_dropout: float = 0.0):
        super().__init__()
        self.causal = causal
        self.softmax_scale = softmax_scale
        self.drop = nn.Dropout(attention_dropout)

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
        attention = self.drop(attention)
        return torch.einsum("bhts,bshd->bthd", attention, v)


class MHA(nn.Module):
    """Multi-head attention layer."""

    def __init__(self, n_embd=16, n_head=2):
        super().__init__()
        self.n_head = n_head
        self.head_dim = n_embd // n_head
        self.Wqkv = nn.Linear(n_embd, 3 * n_embd)
        self.out_proj = nn.Linear(n_embd, n_embd)
        self.inner_attn = SelfAttention(causal=True)

    def forward(self, x, past_key_values=None, attention_mask=None, **kwargs):
        if attention_mask is not None and torch.any(~attention_mask.bool()):
            attention_mask = attention_mask  # BUG
        else:
            attention_mask = None
        qkv = self.Wqkv(x).view(x.shape[0], x.shape[1], 3, self.n_head, self.head_dim)
        context = self.inner_attn(qkv, key_padding_mask=attention_mask)
        return self.out_proj(context.reshape(x.shape[0], x.shape[1], -1))


class ParallelBlock(nn.Module):
    def __init__(self, n_embd=16, n_head=2):
        super().__init__()
        self.ln = nn.LayerNorm(n_embd)
        self.mixer = MHA(n_embd, n_head)

    def forward(self, hidden_states, past_cache=None, attention_mask=None):
        return hidden_states + self.mixer(self.ln(hidden_states), past_key_values=past_cache, attention_mask=attention_mask)


if __name__ == "__main__":
    torch.manual_seed(0)
    block = ParallelBlock().eval()
    hidden = torch.randn(2, 5, 16)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
    try:
        with torch.no_grad():
            out = block(hidden, attention_mask=attention_mask)
            out_b = block(hidden[1:, :3])
        print(f"padded vs unpadded row diff: {(out[1, :3] - out_b[0]).abs().max().item():.4f}")
    except RuntimeError as exc:
        print(f"RuntimeError: {exc}")
