import torch
import torch.nn as nn

from .layers import Block


class TinyGPT(nn.Module):
    def __init__(self, vocab=100, dim=32, n_heads=4):
        super().__init__()
        self.wte = nn.Embedding(vocab, dim)
        self.block = Block(dim, n_heads)
        self.head = nn.Linear(dim, vocab)

    def forward(self, idx):
        return self.head(self.block(self.wte(idx)))
