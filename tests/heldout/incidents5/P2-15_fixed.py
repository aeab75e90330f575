"""Phi-style mixer attention with config-driven padding handling."""
from dataclasses import dataclass
from typing import Optional, Union

import torch
import torch.nn as nn


@dataclass
class PhiConfig:
    n_embd: int = 64
    n_head: int = 4
    vocab_size: int = 100
    n_layer: int = 2
    softmax_scale: Optional[float] = None


class SelfAttention(nn.Module):
    def __init__(self, config: PhiConfig):
        super().__init__()
        self.config = config

    def forward(self, qkv, causal=True, key_padding_mask: Optional[torch.Tensor] = None):
        b, s, _, h, d = qkv.shape
        q, k, v = qkv.unbind(dim=2)
        scale = self.config.softmax_scale or d ** -0.5
        scores = torch.einsum("bthd,bshd->bhts", q, k * scale)
        if key_padding_mask is not None:
            padding_mask = torch.full((b, s), -10000.0, dtype=scores.dtype, device=scores.device)
            padding_mask.masked_fill_(key_padding_mask, 0.0)
            scores = scores + padding_mask[:, None, None, :]
        if causal:
            causal_mask = torch.triu(torch.full((s, s), -10000.0, device=scores.device), 1)
            scores = scores + causal_mask.to(dtype=scores.dtype)
        attn = torch.softmax(scores, dim=-1)
        return torch.einsum("bhts,bshd->bthd", attn, v)


class MHA(nn.Module):
    def __init__(self, config: PhiConfig):
        super().__init__()
        self.config = config
        self.Wqkv = nn.Linear(config.n_embd, 3 * config.n_embd)
        self.out_proj = nn.Linear(config.n_embd, config.n_embd)
        self.inner_attn = SelfAttention(config)

    def forward(self, x, attention_mask: Optional[Union[torch.LongTensor, torch.BoolTensor]] = None):
        b, s, d = x.shape
        qkv = self.Wqkv(x).view(b, s, 3, self.config.n_head, d // self.config.n_head)
        if attention_mask is not None:
            attention_mask = attention_mask.bool()
        ctx = self.inner_attn(qkv, key_padding_mask=attention_mask)
        return self.out_proj(ctx.reshape(b, s, d))


class PhiModel(nn.Module):
    def __init__(self, config: PhiConfig):
        super().__init__()
        self.embd = nn.Embedding(config.vocab_size, config.n_embd)
        self.layers = nn.ModuleList(MHA(config) for _ in range(config.n_layer))
        self.head = nn.Linear(config.n_embd, config.vocab_size)

    def forward(self, input_ids, attention_mask=None):
        h = self.embd(input_ids)
        for layer in self.layers:
            h = h + layer(h, attention_mask=attention_mask)
        return self.head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PhiModel(PhiConfig()).eval()
    ids = torch.randint(0, 100, (2, 6))
    am = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]])
    with torch.no_grad():
        print(model(ids, attention_mask=am).shape)
