"""Image captioning from detected region features (bottom-up attention style). Images have
different numbers of detected regions; captions have different lengths. Written in the
positional-argument style of the original research code."""
from __future__ import annotations

from typing import List

import torch
import torch.nn.functional as F
from torch import nn

PAD, BOS, EOS = 0, 1, 2


class RegionEncoder(nn.Module):
    def __init__(self, feat_dim: int, dim: int, heads: int, layers: int):
        super().__init__()
        self.proj = nn.Sequential(nn.Linear(feat_dim + 5, dim), nn.ReLU(), nn.LayerNorm(dim))
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads, batch_first=True) for _ in range(layers))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))

    def forward(self, feats, boxes, region_pad):
        area = ((boxes[..., 2] - boxes[..., 0]) * (boxes[..., 3] - boxes[..., 1]))[..., None]
        x = self.proj(torch.cat([feats, boxes, area], dim=-1))
        for attn, norm in zip(self.attn, self.norm):
            y, _ = attn(x, x, x, region_pad, need_weights=False)
            x = norm(x + y)
        return x


class CaptionDecoder(nn.Module):
    def __init__(self, vocab: int, dim: int, heads: int, layers: int, max_len: int = 40):
        super().__init__()
        self.emb, self.pos = nn.Embedding(vocab, dim, padding_idx=PAD), nn.Embedding(max_len, dim)
        layer = nn.TransformerDecoderLayer(dim, heads, 4 * dim, 0.1, batch_first=True)
        self.dec = nn.TransformerDecoder(layer, layers)
        self.out = nn.Linear(dim, vocab)

    def forward(self, words, memory, region_pad):
        n = words.size(1)
        y = self.emb(words) + self.pos(torch.arange(n, device=words.device))
        causal = torch.triu(torch.ones(n, n, dtype=torch.bool, device=words.device), 1)
        h = self.dec(y, memory, causal, None, words.eq(PAD), region_pad)
        return self.out(h)


class RegionCaptioner(nn.Module):
    def __init__(self, vocab: int = 1200, feat_dim: int = 128, dim: int = 64, heads: int = 4):
        super().__init__()
        self.encoder = RegionEncoder(feat_dim, dim, heads, 2)
        self.decoder = CaptionDecoder(vocab, dim, heads, 2)

    def forward(self, feats, boxes, region_pad, words):
        return self.decoder(words, self.encoder(feats, boxes, region_pad), region_pad)


def pad_regions(per_image: List[torch.Tensor], boxes: List[torch.Tensor]):
    n = max(f.size(0) for f in per_image)
    feats = torch.stack([F.pad(f, (0, 0, 0, n - f.size(0))) for f in per_image])
    bx = torch.stack([F.pad(b, (0, 0, 0, n - b.size(0))) for b in boxes])
    pad = torch.stack([torch.arange(n) >= f.size(0) for f in per_image])
    return feats, bx, pad


if __name__ == "__main__":
    torch.manual_seed(0)
    counts = (36, 10, 22)
    feats, boxes, region_pad = pad_regions([torch.randn(c, 128) for c in counts],
                                           [torch.rand(c, 4).sort(-1).values for c in counts])
    captions = torch.tensor([[BOS, 15, 99, 402, 7, EOS, PAD], [BOS, 88, 3, EOS, PAD, PAD, PAD], [BOS, 5, 6, 7, 8, 9, EOS]])
    model = RegionCaptioner()
    logits = model(feats, boxes, region_pad, captions[:, :-1])
    loss = F.cross_entropy(logits.transpose(1, 2), captions[:, 1:], ignore_index=PAD)
    loss.backward()
    print("caption xent", round(loss.item(), 4))
