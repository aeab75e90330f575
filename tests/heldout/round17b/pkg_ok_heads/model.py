"""Atom-level attention; each molecule's mask is laid out per head (index = molecule * heads + head)."""
import torch
from torch import nn

from .graph import blocked_pairs, chain, ring


class AtomLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln = nn.LayerNorm(dim)

    def forward(self, x, per_head_mask):
        h, _ = self.attn(x, x, x, attn_mask=per_head_mask)
        return self.ln(x + h)


class PropertyRegressor(nn.Module):
    def __init__(self, n_elements=20, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.atom = nn.Embedding(n_elements, dim)
        self.layer1 = AtomLayer(dim, heads)
        self.layer2 = AtomLayer(dim, heads)
        self.out = nn.Linear(dim, 1)

    def forward(self, elements, adjacency, present):
        m, n = elements.shape
        blocked = blocked_pairs(adjacency, present)
        x = self.atom(elements)
        x = self.layer1(x, blocked.repeat_interleave(self.heads, dim=0))
        stacked = blocked[:, None].expand(m, self.heads, n, n).reshape(m * self.heads, n, n)
        x = self.layer2(x, stacked)
        w = present.unsqueeze(-1).float()
        return self.out((x * w).sum(1) / w.sum(1)).squeeze(-1)


def example_batch():
    total = 7
    adjacency = torch.stack([chain(7, total), ring(5, total), chain(3, total)])
    present = torch.arange(total)[None, :] < torch.tensor([7, 5, 3])[:, None]
    elements = torch.randint(1, 20, (3, total), generator=torch.Generator().manual_seed(0)) * present
    return elements, adjacency, present


if __name__ == "__main__":
    torch.manual_seed(0)
    print(PropertyRegressor()(*example_batch()))
