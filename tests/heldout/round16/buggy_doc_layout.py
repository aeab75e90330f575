"""Token classification over OCR'd words with 2-D box embeddings.

Everything here is sequence-first, like the original fairseq-era code:
``tokens`` is (seq_len, batch) and ``boxes`` is (seq_len, batch, 4) with
coordinates normalised to 0..1000.
"""
import torch
import torch.nn as nn


class BoxEmbedding(nn.Module):
    def __init__(self, dim, buckets=1001):
        super().__init__()
        self.x = nn.Embedding(buckets, dim)
        self.y = nn.Embedding(buckets, dim)

    def forward(self, boxes):
        x0, y0, x1, y1 = boxes.unbind(-1)
        return self.x(x0) + self.y(y0) + self.x(x1) + self.y(y1)


class LayoutTagger(nn.Module):
    def __init__(self, vocab=3000, dim=64, labels=7, pad_id=1):
        super().__init__()
        self.pad_id = pad_id
        self.words = nn.Embedding(vocab, dim, padding_idx=pad_id)
        self.boxes = BoxEmbedding(dim)
        layer = nn.TransformerEncoderLayer(dim, 4, 2 * dim, dropout=0.0)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.classifier = nn.Linear(dim, labels)

    def forward(self, tokens, boxes):
        pad = tokens.eq(self.pad_id)
        h = self.words(tokens) + self.boxes(boxes)
        h = self.encoder(h, src_key_padding_mask=pad)  # expect: ML304
        return self.classifier(h)

