import torch
from torch import nn

from .registry import build_attention


class Block(nn.Module):
    def __init__(self, dim, heads, attention="flash"):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.attn = build_attention(attention, dim, heads)

    def forward(self, x, mask):
        return x + self.attn(self.norm(x), mask)


class DecoderLM(nn.Module):
    def __init__(self, vocab=100, dim=32, heads=4, depth=2, attention="flash"):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.blocks = nn.ModuleList(Block(dim, heads, attention) for _ in range(depth))
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids):
        t = ids.size(1)
        future = torch.ones(t, t, dtype=torch.bool, device=ids.device).triu(1)
        x = self.embed(ids)
        for block in self.blocks:
            x = block(x, future)  # expect: ML102
        return self.head(x)
