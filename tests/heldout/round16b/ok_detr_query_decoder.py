import torch
import torch.nn as nn


class DETRDecoderHead(nn.Module):
    """Set prediction: learned object queries decode image features in parallel."""

    def __init__(self, num_queries=10, d_model=64, nhead=4, layers=2, num_classes=20):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 32, 4, 4), nn.ReLU(), nn.Conv2d(32, d_model, 2, 2))
        self.query_embed = nn.Embedding(num_queries, d_model)
        enc = nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, 0.1, batch_first=True)
        dec = nn.TransformerDecoderLayer(d_model, nhead, 2 * d_model, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc, layers)
        self.decoder = nn.TransformerDecoder(dec, layers)
        self.class_embed = nn.Linear(d_model, num_classes + 1)
        self.bbox_embed = nn.Sequential(nn.Linear(d_model, d_model), nn.ReLU(), nn.Linear(d_model, 4))

    def forward(self, images, pixel_mask):
        feats = self.backbone(images)
        b, c, h, w = feats.shape
        src = feats.flatten(2).transpose(1, 2)
        mask = nn.functional.interpolate(pixel_mask[:, None].float(), size=(h, w)).bool().flatten(1)
        memory = self.encoder(src, src_key_padding_mask=~mask)
        tgt = self.query_embed.weight.unsqueeze(0).expand(b, -1, -1)
        hs = self.decoder(tgt, memory, memory_key_padding_mask=~mask)
        return self.class_embed(hs), self.bbox_embed(hs).sigmoid()


if __name__ == "__main__":
    imgs = torch.randn(2, 3, 64, 64)
    pm = torch.ones(2, 64, 64, dtype=torch.bool)
    pm[1, :, 40:] = False
    logits, boxes = DETRDecoderHead()(imgs, pm)
    print(logits.shape, boxes.shape)
