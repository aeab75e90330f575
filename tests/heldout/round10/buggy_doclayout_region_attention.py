"""Document layout analysis: OCR tokens with 2-D boxes, region-restricted attention (LayoutLM-flavoured)."""
import math

import torch
import torch.nn as nn


class Layout2DEmbedding(nn.Module):
    def __init__(self, vocab, d, coord_bins=1001):
        super().__init__()
        self.word = nn.Embedding(vocab, d)
        self.x = nn.Embedding(coord_bins, d)
        self.y = nn.Embedding(coord_bins, d)
        self.w = nn.Embedding(coord_bins, d)
        self.h = nn.Embedding(coord_bins, d)

    def forward(self, ids, boxes):
        x0, y0, x1, y1 = boxes.unbind(-1)
        return (self.word(ids) + self.x(x0) + self.y(y0) + self.x(x1) + self.y(y1)
                + self.w(x1 - x0) + self.h(y1 - y0))


class RegionAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.dk = d // heads
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)
        self.o = nn.Linear(d, d)

    def forward(self, x, region_ids):
        B, N, D = x.shape
        q = self.q(x).view(B, N, self.h, self.dk).transpose(1, 2)
        k = self.k(x).view(B, N, self.h, self.dk).transpose(1, 2)
        v = self.v(x).view(B, N, self.h, self.dk).transpose(1, 2)
        same_region = region_ids[:, :, None] == region_ids[:, None, :]
        bias = torch.where(same_region, float("-inf"), 0.0)[:, None]
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dk)
        scores = scores + bias  # expect: ML103
        probs = scores.softmax(-1)
        out = (probs @ v).transpose(1, 2).reshape(B, N, D)
        return self.o(out)


class LayoutTagger(nn.Module):
    LABELS = ["text", "title", "list", "table", "figure"]

    def __init__(self, vocab=2000, d=64, heads=4, depth=2):
        super().__init__()
        self.emb = Layout2DEmbedding(vocab, d)
        self.attn = nn.ModuleList(RegionAttention(d, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.cls = nn.Linear(d, len(self.LABELS))

    def forward(self, ids, boxes, region_ids):
        x = self.emb(ids, boxes)
        for attn, norm in zip(self.attn, self.norms):
            x = x + attn(norm(x), region_ids)
        return self.cls(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    B, N = 2, 30
    ids = torch.randint(0, 2000, (B, N))
    xy0 = torch.randint(0, 900, (B, N, 2))
    wh = torch.randint(1, 100, (B, N, 2))
    boxes = torch.cat([xy0, xy0 + wh], dim=-1)
    regions = torch.sort(torch.randint(0, 5, (B, N)), dim=1).values
    model = LayoutTagger()
    logits = model(ids, boxes, regions)
    print(logits.shape, logits.isnan().any().item())
