"""Decoder block for a small code-completion model; mask strategies are pluggable."""
from typing import Callable, Dict

import torch
import torch.nn as nn
import torch.nn.functional as F

MASK_BUILDERS: Dict[str, Callable[[int, torch.device], torch.Tensor]] = {}


def register_mask(name):
    def deco(fn):
        MASK_BUILDERS[name] = fn
        return fn
    return deco


@register_mask("causal")
def _causal(n, device):
    return torch.ones(n, n, dtype=torch.bool, device=device).triu(diagonal=1)


@register_mask("full")
def _full(n, device):
    return torch.zeros(n, n, dtype=torch.bool, device=device)


class CodeAttention(nn.Module):
    def __init__(self, d_model, n_heads, mask_kind="causal"):
        super().__init__()
        self.h = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model, bias=False)
        self.proj = nn.Linear(d_model, d_model)
        self.build_mask = MASK_BUILDERS[mask_kind]

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, c // self.h).permute(2, 0, 3, 1, 4)
        mask = self.build_mask(t, x.device)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML102
        return self.proj(y.transpose(1, 2).reshape(b, t, c))


class CodeLM(nn.Module):
    def __init__(self, vocab=1024, d=128, heads=4, depth=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList(CodeAttention(d, heads) for _ in range(depth))
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids):
        x = self.tok(ids)
        for layer in self.layers:
            x = x + layer(x)
        return self.head(x)


if __name__ == "__main__":
    lm = CodeLM()
    ids = torch.randint(0, 1024, (2, 33))
    logits = lm(ids[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 1024), ids[:, 1:].reshape(-1))
    print(logits.shape, loss.item())
