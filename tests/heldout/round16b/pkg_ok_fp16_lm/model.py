import torch
import torch.nn as nn

from .layers import CausalAttention


class TinyLM(nn.Module):
    def __init__(self, vocab=512, dim=64, heads=4, depth=2):
        super().__init__()
        self.wte = nn.Embedding(vocab, dim)
        self.wpe = nn.Embedding(256, dim)
        self.attn = nn.ModuleList(CausalAttention(dim, heads) for _ in range(depth))
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, idx):
        x = self.wte(idx) + self.wpe.weight[: idx.size(1)]
        for attn, ln in zip(self.attn, self.ln):
            x = x + attn(ln(x))
        return self.head(x)
