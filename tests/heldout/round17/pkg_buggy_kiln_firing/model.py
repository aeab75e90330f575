import torch
import torch.nn as nn
import torch.nn.functional as F

from .data import SEGMENT_KINDS

DEFECTS = ("none", "crawling", "pinholing", "crazing", "shivering", "blistering", "underfired")
PARAM_SCALE = torch.tensor([300.0, 1300.0, 60.0])


class SegmentMixer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.norm = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, seg_keep):
        b, n, d = x.shape
        q, k, v = self.qkv(self.norm(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=seg_keep[:, None, None, :])  # expect: ML202
        return x + self.out(y.transpose(1, 2).reshape(b, n, d))


class FiringOutcomeModel(nn.Module):
    def __init__(self, n_clays=40, n_glazes=300, dim=64, heads=4, depth=2):
        super().__init__()
        self.kind = nn.Embedding(len(SEGMENT_KINDS), dim)
        self.params = nn.Linear(3, dim)
        self.clay = nn.Embedding(n_clays, dim)
        self.glaze = nn.Embedding(n_glazes, dim)
        self.mixers = nn.ModuleList(SegmentMixer(dim, heads) for _ in range(depth))
        self.head = nn.Linear(dim, len(DEFECTS))

    def forward(self, batch):
        x = self.kind(batch["kind"]) + self.params(batch["params"] / PARAM_SCALE)
        x = x + (self.clay(batch["clay"]) + self.glaze(batch["glaze"]))[:, None]
        for mixer in self.mixers:
            x = mixer(x, batch["seg_keep"])
        w = batch["seg_keep"].unsqueeze(-1)
        return self.head((x * w).sum(1) / w.sum(1))
