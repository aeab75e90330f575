import math
from typing import Optional

import torch
import torch.nn as nn


class SelfAttention(nn.Module):
    def __init__(self, softmax_scale: Optional[float] = None, attention_dropout: float = 0.0):
        super().__init__()
        self.softmax_scale = softmax_scale
        self.drop = nn.Dropout(attention_dropout)

    def forward(self, qkv: torch.Tensor, causal: bool = True, key_padding_mask: Optional[torch.Tensor] = None):
        batch_size, seqlen = qkv.shape[0], qkv.shape[1]
        q, k, v = qkv.unbind(dim=2)
        softmax_scale = self.softmax_scale or 1.0 / math.sqrt(q.shape[-1])
        scores = torch.einsum("bthd,bshd->bhts", q, k * softmax_scale)

        if key_padding_mask is not None:
            padding_mask = torch.full((batch_size, seqlen), -10000.0, dtype=scores.dtype, device=scores.device)
            padding_mask.masked_fill_(key_padding_mask, 0.0)  # BUG: key_padding_mask arrives as int64
            scores = scores + padding_mask[:, None, None, :]

        if causal:
            causal_mask = torch.triu(torch.full((seqlen, seqlen), -10000.0, device=scores.device), 1)
            scores = scores + causal_mask.to(dtype=scores.dtype)

        attention = self.drop(torch.softmax(scores, dim=-1).to(v.dtype))
        return torch.einsum("bhts,bshd->bthd", attention, v)


class MHA(nn.Module):
    def __init__(self, d_model: int = 1024, n_head: int = 16):
        super().__init__()
        self.n_head, self.head_dim = n_head, d_model // n_head
        self.Wqkv = nn.Linear(d_model, 3 * d_model)
        self.out_proj = nn.Linear(d_model, d_model)
        self.inner_attn = SelfAttention()

    def forward(self, x: torch.Tensor, attention_mask: Optional[torch.Tensor] = None):
        qkv = self.Wqkv(x).view(x.shape[0], x.shape[1], 3, self.n_head, self.head_dim)
        out = self.inner_attn(qkv, causal=True, key_padding_mask=attention_mask)  # BUG: int mask passed through
        return self.out_proj(out.reshape(x.shape[0], x.shape[1], -1))


class MixFormerForCausalLM(nn.Module):
    def __init__(self, vocab_size: int = 51200, d_model: int = 1024, n_layer: int = 2):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, d_model)
        self.layers = nn.ModuleList([MHA(d_model) for _ in range(n_layer)])
        self.lm_head = nn.Linear(d_model, vocab_size)

    def forward(self, input_ids: torch.Tensor, attention_mask: Optional[torch.Tensor] = None):
        h = self.wte(input_ids)
        for layer in self.layers:
            h = h + layer(h, attention_mask=attention_mask)
        return self.lm_head(h)


if __name__ == "__main__":
    model = MixFormerForCausalLM(vocab_size=1000, d_model=128)
    ids = torch.randint(0, 1000, (2, 8))
    am = torch.tensor([[1] * 8, [1] * 5 + [0] * 3])
    print(model(ids, attention_mask=am).shape)
