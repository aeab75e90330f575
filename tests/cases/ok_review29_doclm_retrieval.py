import torch
import torch.nn as nn


class SpanExtractor(nn.Module):
    """Reads a passage and re-predicts each corrupted token from both sides, as in ELECTRA's
    generator; the discriminator is a separate model. Not a left-to-right language model."""

    def __init__(self, vocab=30000, d=256):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, batch_first=True), 4)
        self.out = nn.Linear(d, vocab)

    def forward(self, ids):
        return self.out(self.enc(self.emb(ids), src_key_padding_mask=ids.eq(0)))
