import torch
import torch.nn as nn
import torch.nn.functional as F
from .blocks import Block


class TinyGPT(nn.Module):
    def __init__(self, vocab=256, d=64, h=4, n=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList(Block(d, h) for _ in range(n))
        self.head = nn.Linear(d, vocab)

    def forward(self, idx, targets=None):
        x = self.emb(idx)
        for b in self.blocks:
            x = b(x)  # expect: ML401
        logits = self.head(x)
        if targets is None:
            return logits
        return F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), targets[:, 1:].reshape(-1))

    @torch.no_grad()
    def generate(self, idx, n):
        for _ in range(n):
            idx = torch.cat([idx, self(idx)[:, -1].argmax(-1, keepdim=True)], 1)
        return idx
