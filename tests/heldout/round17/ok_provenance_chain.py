"""Provenance-gap model for a museum collections database (additive history bias)."""
import torch
import torch.nn as nn

TRANSFER_KINDS = ("pad", "sale", "auction", "gift", "bequest", "exchange", "seizure",
                  "restitution", "loan", "unknown")


class ProvenanceEncoder(nn.Module):
    def __init__(self, dim=64, heads=4, depth=2, n_places=500, n_owner_types=12):
        super().__init__()
        self.kind = nn.Embedding(len(TRANSFER_KINDS), dim)
        self.place = nn.Embedding(n_places, dim)
        self.owner = nn.Embedding(n_owner_types, dim)
        self.decade = nn.Embedding(80, dim)
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads, batch_first=True)
                                  for _ in range(depth))
        self.ff = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim),
                                              nn.ReLU(), nn.Linear(2 * dim, dim))
                                for _ in range(depth))
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.next_kind = nn.Linear(dim, len(TRANSFER_KINDS))

    @classmethod
    def history_bias(cls, n, device=None):
        allowed = torch.tril(torch.ones(n, n, dtype=torch.bool, device=device))
        return torch.zeros(n, n, device=device).masked_fill(~allowed, float("-inf"))

    def forward(self, kind, place, owner, decade):
        x = self.kind(kind) + self.place(place) + self.owner(owner) + self.decade(decade)
        bias = self.history_bias(kind.size(1), kind.device)
        for attn, ff, ln in zip(self.attn, self.ff, self.ln):
            h = ln(x)
            a, _ = attn(h, h, h, attn_mask=bias, need_weights=False)
            x = x + a
            x = x + ff(x)
        return self.next_kind(x)
