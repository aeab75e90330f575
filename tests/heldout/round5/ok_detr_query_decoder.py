"""DETR-style detector head: object queries decoded in parallel, no causal mask by design;
the image memory is padded for batched images of different size and masked accordingly."""
import torch
import torch.nn as nn


class DetrHead(nn.Module):
    def __init__(self, d=64, n_queries=20, n_classes=91):
        super().__init__()
        self.query_embed = nn.Embedding(n_queries, d)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, 4, 128, batch_first=True), 2)
        self.cls = nn.Linear(d, n_classes + 1)
        self.box = nn.Linear(d, 4)

    def forward(self, memory, memory_pad):
        B = memory.size(0)
        tgt = self.query_embed.weight.unsqueeze(0).expand(B, -1, -1)
        hs = self.decoder(tgt, memory, memory_key_padding_mask=memory_pad)
        return self.cls(hs), self.box(hs).sigmoid()


class Backbone(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(3, d, 7, 4, 3), nn.ReLU(), nn.Conv2d(d, d, 3, 2, 1))

    def forward(self, images, pixel_pad):
        feats = self.conv(images)
        pad = nn.functional.interpolate(pixel_pad[:, None].float(), size=feats.shape[-2:]).bool()[:, 0]
        return feats.flatten(2).transpose(1, 2), pad.flatten(1)


if __name__ == "__main__":
    pad = torch.zeros(2, 49, dtype=torch.bool); pad[1, 35:] = True
    logits, boxes = DetrHead()(torch.randn(2, 49, 64), pad)
    print(logits.shape, boxes.shape)
