# EXPECT: ok
"""DETR-style detector head: learned object queries decode a padded image feature map with
nn.TransformerDecoder. The queries are a set, not a sequence: no causal mask."""
import torch
import torch.nn as nn


class Backbone(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, d, 3, 2, 1), nn.ReLU())

    def forward(self, images, pixel_mask):
        feats = self.body(images)
        mask = nn.functional.interpolate(pixel_mask[:, None].float(), size=feats.shape[-2:])[:, 0].bool()
        return feats, mask                          # mask: True = real pixels


class DETRHead(nn.Module):
    def __init__(self, d=32, heads=4, num_queries=6, num_classes=5, layers=2, p=0.1):
        super().__init__()
        self.backbone = Backbone(d)
        enc = nn.TransformerEncoderLayer(d, heads, 2 * d, p, batch_first=True)
        dec = nn.TransformerDecoderLayer(d, heads, 2 * d, p, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc, layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec, layers)
        self.query_embed = nn.Embedding(num_queries, d)
        self.pos = nn.Parameter(torch.randn(1, 64, d) * 0.02)
        self.class_embed = nn.Linear(d, num_classes + 1)
        self.bbox_embed = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, 4))

    def forward(self, images, pixel_mask):
        feats, valid = self.backbone(images, pixel_mask)
        src = feats.flatten(2).transpose(1, 2) + self.pos[:, : feats.shape[2] * feats.shape[3]]
        pad = ~valid.flatten(1)
        memory = self.encoder(src, src_key_padding_mask=pad)
        tgt = self.query_embed.weight.unsqueeze(0).expand(images.size(0), -1, -1)
        hs = self.decoder(tgt, memory, memory_key_padding_mask=pad)
        return self.class_embed(hs), self.bbox_embed(hs).sigmoid()


def run():
    torch.manual_seed(0)
    model = DETRHead()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-4)
    images = torch.randn(2, 3, 16, 16)
    pixel_mask = torch.ones(2, 16, 16, dtype=torch.bool)
    pixel_mask[1, :, 10:] = False          # second image was narrower and got padded
    images[1, :, :, 10:] = 0
    cls_t = torch.tensor([[1, 2, 5, 5, 5, 5], [3, 5, 5, 5, 5, 5]])
    box_t = torch.rand(2, 6, 4)
    model.train()
    logits, boxes = model(images, pixel_mask)
    loss = nn.functional.cross_entropy(logits.reshape(-1, 6), cls_t.reshape(-1)) + nn.functional.l1_loss(boxes, box_t)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev_logits, ev_boxes = model(images, pixel_mask)
    return [loss.detach(), ev_logits, ev_boxes]
