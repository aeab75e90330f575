"""A sentence encoder whose loss drops the [CLS] position (x[:, 1:]): a per-token tagger, not a
language model."""
import torch.nn as nn
import torch.nn.functional as F


class SentenceEncoder(nn.Module):
    def __init__(self, vocab=1000, tags=9, width=64, heads=4, depth=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, width)
        layer = nn.TransformerEncoderLayer(width, heads, 4 * width, 0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.tagger = nn.Linear(width, tags)

    def forward(self, ids):
        return self.tagger(self.encoder(self.embed(ids)))

    def tagging_loss(self, ids, tags):
        logits = self(ids)[:, 1:]
        return F.cross_entropy(logits.transpose(1, 2), tags[:, 1:])
