"""DETR-style detector head: sequence-first transformer, object queries, padded image batches."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Backbone(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
                                  nn.Conv2d(64, d, 3, 2, 1), nn.ReLU())

    def forward(self, images, pixel_pad):
        feats = self.body(images)
        pad = F.interpolate(pixel_pad[:, None].float(), size=feats.shape[-2:]).to(torch.bool)[:, 0]
        return feats, pad  # pad: (B, h, w), True on padded pixels


def sine_pos(pad, d):
    not_pad = ~pad
    y = not_pad.cumsum(1, dtype=torch.float32)
    x = not_pad.cumsum(2, dtype=torch.float32)
    dim_t = 10000 ** (2 * (torch.arange(d // 4) // 2) / (d // 2))
    px, py = x[..., None] / dim_t, y[..., None] / dim_t
    return torch.cat([px.sin(), px.cos(), py.sin(), py.cos()], dim=-1).permute(0, 3, 1, 2)


class DETRHead(nn.Module):
    def __init__(self, d=64, nhead=4, n_queries=10, n_classes=20, layers=2):
        super().__init__()
        self.backbone = Backbone(d)
        self.transformer = nn.Transformer(d, nhead, layers, layers, 2 * d, 0.1)
        self.query_embed = nn.Embedding(n_queries, d)
        self.class_embed = nn.Linear(d, n_classes + 1)
        self.bbox_embed = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, 4))
        self.d = d

    def forward(self, images, pixel_pad):
        feats, pad = self.backbone(images, pixel_pad)
        pos = sine_pos(pad, self.d)
        B = feats.size(0)
        src = (feats + pos).flatten(2).permute(2, 0, 1)     # (HW, B, d)
        mem_pad = pad.flatten(1)                              # (B, HW)
        queries = self.query_embed.weight[:, None].repeat(1, B, 1)  # (Q, B, d)
        hs = self.transformer(src, queries, src_key_padding_mask=mem_pad, memory_key_padding_mask=mem_pad)
        hs = hs.transpose(0, 1)
        return self.class_embed(hs), self.bbox_embed(hs).sigmoid()


def batch_images(imgs):
    H = max(i.shape[1] for i in imgs)
    W = max(i.shape[2] for i in imgs)
    out = torch.zeros(len(imgs), 3, H, W)
    pad = torch.ones(len(imgs), H, W, dtype=torch.bool)
    for k, im in enumerate(imgs):
        out[k, :, : im.shape[1], : im.shape[2]] = im
        pad[k, : im.shape[1], : im.shape[2]] = False
    return out, pad


if __name__ == "__main__":
    torch.manual_seed(0)
    images, pixel_pad = batch_images([torch.randn(3, 64, 96), torch.randn(3, 80, 48), torch.randn(3, 40, 40)])
    model = DETRHead()
    logits, boxes = model(images, pixel_pad)
    print(logits.shape, boxes.shape, logits.isnan().any().item())
