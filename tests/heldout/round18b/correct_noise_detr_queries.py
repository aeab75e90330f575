"""DETR-style table-cell detector with learned object queries."""
import torch
import torch.nn as nn


class CellDetector(nn.Module):
    def __init__(self, n_queries=10, d=32, nhead=4, layers=2):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, d, 4, stride=4), nn.ReLU())
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, nhead, 64, 0.0, batch_first=True), 1, enable_nested_tensor=False)
        self.query_embed = nn.Embedding(n_queries, d)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, nhead, 64, 0.0, batch_first=True), layers)
        self.class_head = nn.Linear(d, 3)
        self.box_head = nn.Linear(d, 4)

    def forward(self, images):
        f = self.backbone(images)
        memory = self.encoder(f.flatten(2).transpose(1, 2))
        tgt = self.query_embed.weight.unsqueeze(0).expand(images.size(0), -1, -1)
        hs = self.decoder(tgt, memory)
        return self.class_head(hs), self.box_head(hs).sigmoid()


if __name__ == "__main__":
    torch.manual_seed(0)
    cls, boxes = CellDetector()(torch.randn(2, 3, 32, 32))
    print(tuple(cls.shape), tuple(boxes.shape))
