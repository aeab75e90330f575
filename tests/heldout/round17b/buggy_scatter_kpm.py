"""Patient-trajectory encoder over hospital visits.

Visits whose lab panel was withdrawn are listed in ``dropped`` (indices per
patient, -1 meaning none) and must not be attended.
"""
import torch
from torch import nn


class VisitEncoder(nn.Module):
    def __init__(self, n_codes=2000, dim=48, heads=4):
        super().__init__()
        self.codes = nn.EmbeddingBag(n_codes, dim, mode="mean")
        self.age = nn.Linear(1, dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.risk = nn.Linear(dim, 1)

    def embed_visits(self, codes, offsets, ages):
        b, n = ages.shape
        v = self.codes(codes, offsets).view(b, n, -1)
        return v + self.age(ages.unsqueeze(-1) / 100.0)

    def forward(self, codes, offsets, ages, dropped):
        x = self.embed_visits(codes, offsets, ages)
        b, n, _ = x.shape
        slots = dropped.clamp(min=0)
        withdrawn = torch.zeros(b, n + 1, device=x.device)
        withdrawn.scatter_(1, torch.where(dropped < 0, n, slots), 1.0)
        withdrawn = withdrawn[:, :n]
        h, _ = self.attn(x, x, x, key_padding_mask=withdrawn)  # expect: ML201
        h = self.norm(x + h)
        return torch.sigmoid(self.risk(h[:, -1]))


def make_batch(n_patients=3, n_visits=6, codes_per_visit=4, seed=0):
    g = torch.Generator().manual_seed(seed)
    total = n_patients * n_visits
    codes = torch.randint(0, 2000, (total * codes_per_visit,), generator=g)
    offsets = torch.arange(0, total * codes_per_visit, codes_per_visit)
    ages = torch.randint(20, 90, (n_patients, n_visits), generator=g).float()
    dropped = torch.tensor([[1, 3], [-1, -1], [0, -1]])
    return codes, offsets, ages, dropped


if __name__ == "__main__":
    torch.manual_seed(0)
    model = VisitEncoder()
    print(model(*make_batch()).squeeze(-1))
