"""The same branchy buffers, each read with the polarity it was built for."""
import torch
from torch import nn


class TryBuffer(nn.Module):
    def __init__(self, d=32, h=4, n=16):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        try:
            self.hidden = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
        except RuntimeError:
            self.hidden = None

    def forward(self, x):
        L = x.size(1)
        return self.attn(x, x, x, attn_mask=self.hidden[:L, :L])[0]


class MatchBuffer(nn.Module):
    def __init__(self, kind: str, d=32, h=4, n=16):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        match kind:
            case "causal":
                self.blocked = ~torch.ones(n, n, dtype=torch.bool).tril()
            case _:
                self.blocked = None

    def forward(self, x):
        L = x.size(1)
        return self.attn(x, x, x, attn_mask=self.blocked[:L, :L])[0]


class LoopBuffer(nn.Module):
    def __init__(self, sizes=(8, 16)):
        super().__init__()
        self.mask = None
        for n in sizes:
            self.mask = torch.triu(torch.ones(n, n), diagonal=1).bool()  # True = hidden

    def forward(self, q, k, v):
        scores = q @ k.transpose(-2, -1)
        scores = scores.masked_fill(self.mask, float("-inf"))
        return scores.softmax(-1) @ v
