"""Set-prediction detector head on top of a tiny conv backbone, with padded image batches."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def nested_batch(images):
    H = max(im.shape[1] for im in images)
    W = max(im.shape[2] for im in images)
    batch = images[0].new_zeros(len(images), 3, H, W)
    pixel_pad = torch.ones(len(images), H, W, dtype=torch.bool)
    for i, im in enumerate(images):
        batch[i, :, : im.shape[1], : im.shape[2]].copy_(im)
        pixel_pad[i, : im.shape[1], : im.shape[2]] = False
    return batch, pixel_pad


class TinyDETR(nn.Module):
    def __init__(self, d=64, n_queries=20, n_classes=10):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 32, 7, 4, 3), nn.ReLU(), nn.Conv2d(32, d, 3, 2, 1))
        self.transformer = nn.Transformer(d, 4, 2, 2, 128, dropout=0.0)
        self.query_embed = nn.Embedding(n_queries, d)
        self.cls = nn.Linear(d, n_classes + 1)
        self.box = nn.Linear(d, 4)

    def forward(self, images, pixel_pad):
        feat = self.backbone(images)
        B, C, h, w = feat.shape
        pad = F.interpolate(pixel_pad[None].float(), size=(h, w))[0]
        src = feat.flatten(2).permute(2, 0, 1)
        pad = pad.flatten(1)
        tgt = self.query_embed.weight.unsqueeze(1).repeat(1, B, 1)
        hs = self.transformer(
            src, tgt,
            src_key_padding_mask=pad,  # expect: ML201
            memory_key_padding_mask=pad,  # expect: ML201
        )
        hs = hs.transpose(0, 1)
        return self.cls(hs), self.box(hs).sigmoid()


if __name__ == "__main__":
    imgs = [torch.randn(3, 96, 128), torch.randn(3, 64, 80)]
    batch, pixel_pad = nested_batch(imgs)
    logits, boxes = TinyDETR()(batch, pixel_pad)
    print(logits.shape, boxes.shape)
