"""A batch dict whose masks come from the file's collate function (or a Dataset's __getitem__,
stacked by the DataLoader): the model reads `batch["slot_used"]` and no call links the two."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import Dataset


def collate_sessions(items):
    longest = max(len(x) for x in items)
    ids = torch.zeros(len(items), longest, dtype=torch.long)
    used = torch.zeros(len(items), longest, dtype=torch.long)
    for i, x in enumerate(items):
        ids[i, : len(x)] = torch.tensor(x)
        used[i, : len(x)] = 1
    return {"ids": ids, "slot_used": used}


class SessionMixer(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(500, dim)
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, batch):
        x = self.emb(batch["ids"])
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=batch["slot_used"][:, None, None, :])  # expect: ML203


class ScanDataset(Dataset):
    def __init__(self, scans, max_frames=32):
        self.scans, self.max_frames = scans, max_frames

    def __len__(self):
        return len(self.scans)

    def __getitem__(self, i):
        scan = self.scans[i][: self.max_frames]
        frames = np.zeros((self.max_frames, 16), dtype=np.float32)
        frames[: len(scan)] = scan
        blank = np.ones(self.max_frames, dtype=np.float32)
        blank[: len(scan)] = 0.0
        return dict(frames=torch.from_numpy(frames), blank=torch.from_numpy(blank))


class ScanEncoder(nn.Module):
    def __init__(self, dim=16, heads=4):
        super().__init__()
        layer = nn.TransformerEncoderLayer(dim, heads, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)

    def forward(self, batch):
        return self.encoder(batch["frames"], src_key_padding_mask=batch["blank"])  # expect: ML201
