"""Missed-species model for citizen-science birding checklists."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import Dataset

MAX_SPECIES = 40


class ChecklistDataset(Dataset):
    def __init__(self, checklists, n_regional=600):
        self.checklists, self.n_regional = checklists, n_regional

    def __len__(self):
        return len(self.checklists)

    def __getitem__(self, i):
        c = self.checklists[i]
        k = min(len(c["species"]), MAX_SPECIES)
        species = np.zeros(MAX_SPECIES, dtype=np.int64)
        counts = np.zeros(MAX_SPECIES, dtype=np.float32)
        slot_used = np.zeros(MAX_SPECIES, dtype=np.int64)
        species[:k], counts[:k], slot_used[:k] = c["species"][:k], np.log1p(c["counts"][:k]), 1
        return {"species": species, "log_count": counts, "slot_used": slot_used,
                "effort": np.float32(c["minutes"] / 60.0)}


class ChecklistEncoder(nn.Module):
    def __init__(self, n_regional=600, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.species = nn.Embedding(n_regional, dim)
        self.count = nn.Linear(1, dim)
        self.effort = nn.Linear(1, dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, batch):
        x = self.species(batch["species"]) + self.count(batch["log_count"].unsqueeze(-1))
        x = x + self.effort(batch["effort"][:, None, None])
        b, n, d = x.shape
        q, k, v = self.qkv(self.norm(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        reported = batch["slot_used"].bool()[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=reported)
        x = x + self.out(y.transpose(1, 2).reshape(b, n, d))
        used = batch["slot_used"].unsqueeze(-1)
        context = (x * used).sum(1) / used.sum(1)
        return context @ self.species.weight.t()
