"""PolyGen-style vertex model: quantised (z, y, x) coordinates are emitted
one token at a time; a stop token ends the mesh."""
import torch
import torch.nn.functional as F
from torch import nn

from .blocks import Block

STOP, PAD = 0, 1
N_BINS = 64


class VertexModel(nn.Module):
    def __init__(self, dim=64, heads=4, depth=3, max_len=300):
        super().__init__()
        self.value = nn.Embedding(N_BINS + 2, dim)
        self.coord = nn.Embedding(3, dim)
        self.position = nn.Embedding(max_len // 3 + 1, dim)
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])
        self.ln = nn.LayerNorm(dim)
        self.logits = nn.Linear(dim, N_BINS + 2)

    def forward(self, tokens):
        steps = torch.arange(tokens.size(1), device=tokens.device)
        x = self.value(tokens) + self.coord(steps % 3) + self.position(steps // 3)
        pad = tokens == PAD
        for block in self.blocks:
            x = block(x, pad)
        return self.logits(self.ln(x))

    def nll(self, tokens):
        logits = self(tokens[:, :-1])
        return F.cross_entropy(logits.transpose(1, 2), tokens[:, 1:], ignore_index=PAD)

    @torch.no_grad()
    def sample(self, n_tokens=30, batch=1):
        seq = torch.full((batch, 1), STOP, dtype=torch.long)
        for _ in range(n_tokens):
            probs = self(seq)[:, -1].softmax(-1)
            seq = torch.cat([seq, torch.multinomial(probs, 1)], dim=1)
        return seq[:, 1:]
