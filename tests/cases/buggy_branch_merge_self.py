"""Masks stored on ``self`` inside ``try``, ``match`` and loops: each path is merged the same way."""
import torch
from torch import nn


class TryBuffer(nn.Module):
    def __init__(self, d=32, h=4, n=16):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        try:
            self.keep = torch.tril(torch.ones(n, n, dtype=torch.bool))  # True = may attend
        except RuntimeError:
            self.keep = None

    def forward(self, x):
        L = x.size(1)
        return self.attn(x, x, x, attn_mask=self.keep[:L, :L])[0]  # expect: ML101


class MatchBuffer(nn.Module):
    def __init__(self, kind: str, d=32, h=4, n=16):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        match kind:
            case "causal":
                self.allowed = torch.ones(n, n, dtype=torch.bool).tril()
            case _:
                self.allowed = None

    def forward(self, x):
        L = x.size(1)
        return self.attn(x, x, x, attn_mask=self.allowed[:L, :L])[0]  # expect: ML101


class LoopBuffer(nn.Module):
    def __init__(self, sizes=(8, 16), d=32, h=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.mask = None
        for n in sizes:
            self.mask = torch.triu(torch.ones(n, n), diagonal=1).bool()  # True = hidden

    def forward(self, q, k, v, dense):
        # the manual path reads True as "keep", as SDPA does: the block mask is inverted here
        scores = q @ k.transpose(-2, -1)
        scores = torch.where(self.mask, scores, float("-inf"))  # expect: ML102
        return scores.softmax(-1) @ v
