import torch
import torch.nn as nn


class ReviewClassifier(nn.Module):
    def __init__(self, vocab=5000, d=64, heads=4, n_cls=3):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        layer = nn.TransformerEncoderLayer(d, heads, 2 * d, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)
        self.cls = nn.Linear(d, n_cls)

    def forward(self, input_ids, attention_mask):
        x = self.embed(input_ids)
        x = self.encoder(x)  # expect: ML505
        w = attention_mask.unsqueeze(-1).type_as(x)
        return self.cls((x * w).sum(dim=1) / w.sum(dim=1).clamp_min(1))
