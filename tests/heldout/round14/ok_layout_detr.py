"""DETR-style document layout detector (text block / table / figure / title boxes).

Pages of different sizes are padded into one batch; a pixel mask marks the padding, and is
downsampled to the feature map for the encoder and the decoder cross-attention. A fixed set
of learned object queries decodes boxes in parallel."""
from __future__ import annotations

from typing import List

import torch
import torch.nn.functional as F
from torch import nn

CLASSES = ["text", "title", "list", "table", "figure"]


def nested_pages(pages: List[torch.Tensor]):
    h = max(p.shape[1] for p in pages)
    w = max(p.shape[2] for p in pages)
    batch = torch.zeros(len(pages), 3, h, w)
    pixel_pad = torch.ones(len(pages), h, w, dtype=torch.bool)
    for i, p in enumerate(pages):
        batch[i, :, : p.shape[1], : p.shape[2]] = p
        pixel_pad[i, : p.shape[1], : p.shape[2]] = False
    return batch, pixel_pad


class TinyBackbone(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 32, 7, 4, 3), nn.ReLU(), nn.Conv2d(32, dim, 3, 2, 1), nn.ReLU(),
                                 nn.Conv2d(dim, dim, 3, 2, 1))

    def forward(self, x):
        return self.net(x)


class SinePosition2D(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.dim = dim

    def forward(self, not_pad: torch.Tensor) -> torch.Tensor:
        y = not_pad.cumsum(1, dtype=torch.float32)
        x = not_pad.cumsum(2, dtype=torch.float32)
        freq = 10000 ** (torch.arange(self.dim // 4, device=not_pad.device) / (self.dim // 4))
        py, px = y[..., None] / freq, x[..., None] / freq
        return torch.cat([py.sin(), py.cos(), px.sin(), px.cos()], dim=-1)


class LayoutDETR(nn.Module):
    def __init__(self, dim: int = 64, heads: int = 4, num_queries: int = 20, layers: int = 2):
        super().__init__()
        self.backbone = TinyBackbone(dim)
        self.position = SinePosition2D(dim)
        self.transformer = nn.Transformer(dim, heads, layers, layers, 4 * dim, dropout=0.1, batch_first=True)
        self.query_embed = nn.Embedding(num_queries, dim)
        self.class_head = nn.Linear(dim, len(CLASSES) + 1)
        self.box_head = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, 4))

    def forward(self, pages: torch.Tensor, pixel_pad: torch.Tensor):
        feat = self.backbone(pages)
        pad = F.interpolate(pixel_pad[:, None].float(), size=feat.shape[-2:]).bool()[:, 0]
        src = feat.flatten(2).transpose(1, 2) + self.position(~pad).flatten(1, 2)
        pad = pad.flatten(1)
        queries = self.query_embed.weight.unsqueeze(0).expand(pages.size(0), -1, -1)
        hs = self.transformer(src, queries, src_key_padding_mask=pad, memory_key_padding_mask=pad)
        return self.class_head(hs), self.box_head(hs).sigmoid()


if __name__ == "__main__":
    torch.manual_seed(0)
    pages, pixel_pad = nested_pages([torch.rand(3, 256, 192), torch.rand(3, 192, 256), torch.rand(3, 128, 128)])
    model = LayoutDETR()
    logits, boxes = model(pages, pixel_pad)
    no_object = torch.full(logits.shape[:2], len(CLASSES))
    loss = F.cross_entropy(logits.transpose(1, 2), no_object) + boxes.mean()
    loss.backward()
    print("class logits", tuple(logits.shape), "boxes", tuple(boxes.shape), "loss", round(loss.item(), 4))
