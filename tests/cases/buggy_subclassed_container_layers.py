"""Layers iterated inside a subclass of nn.TransformerDecoder are decoder layers
(alex-matton/causal-transformer-decoder#1, P4-3)."""
import torch.nn as nn


class CachedDecoder(nn.TransformerDecoder):
    def forward(self, tgt, memory, tgt_mask=None):
        output = tgt
        for mod in self.layers:
            output = mod(output, memory)
        return output


class Seq2Seq(nn.Module):
    def __init__(self, vocab=50, d=32, nhead=4):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, nhead), 2)
        self.decoder = CachedDecoder(nn.TransformerDecoderLayer(d, nhead), 2)

    def forward(self, src, tgt):
        memory = self.encoder(self.embed(src))
        return self.decoder(self.embed(tgt), memory)  # expect: ML401
