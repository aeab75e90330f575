from torch import nn

from .decoder import Decoder
from .encoder import Encoder


class Seq2Seq(nn.Module):
    def __init__(self, vocab=40, d_model=32, nhead=4, layers=2, pad_id=0):
        super().__init__()
        self.encoder = Encoder(vocab, d_model, nhead, layers, pad_id)
        self.decoder = Decoder(vocab, d_model, nhead, layers, pad_id)

    def forward(self, src, tgt):
        return self.decoder(tgt, self.encoder(src))
