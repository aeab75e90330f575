"""Set-prediction object detector (DETR-style) on padded image batches.

Images of different sizes are padded to the largest one; ``pixel_pad`` marks
the padded area at feature-map resolution.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TinyBackbone(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, dim, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(dim, dim, 3, stride=2, padding=1), nn.ReLU(),
        )

    def forward(self, images, pixel_pad):
        feats = self.net(images)
        pad = F.interpolate(pixel_pad[:, None].float(), size=feats.shape[-2:]).bool()[:, 0]
        return feats, pad


class QueryDetector(nn.Module):
    def __init__(self, dim=64, n_queries=10, n_classes=5):
        super().__init__()
        self.backbone = TinyBackbone(dim)
        self.pos = nn.Parameter(torch.randn(1, 256, dim) * 0.02)
        enc = nn.TransformerEncoderLayer(dim, 4, 2 * dim, dropout=0.0, batch_first=True)
        dec = nn.TransformerDecoderLayer(dim, 4, 2 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc, 2, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec, 2)
        self.queries = nn.Embedding(n_queries, dim)
        self.cls_head = nn.Linear(dim, n_classes + 1)
        self.box_head = nn.Linear(dim, 4)

    def forward(self, images, pixel_pad):
        feats, pad = self.backbone(images, pixel_pad)
        src = feats.flatten(2).transpose(1, 2)
        pad = pad.flatten(1)
        memory = self.encoder(src + self.pos[:, : src.size(1)], src_key_padding_mask=pad)
        tgt = self.queries.weight.unsqueeze(0).expand(images.size(0), -1, -1)
        hs = self.decoder(tgt, memory)  # expect: ML502
        return self.cls_head(hs), self.box_head(hs).sigmoid()
