import torch
import torch.nn as nn

from .vocab import MAX_LEN


class GlossTranslator(nn.Module):
    def __init__(self, src_vocab=1200, tgt_vocab=3000, d=128, heads=4, layers=2):
        super().__init__()
        self.src_emb = nn.Embedding(src_vocab, d)
        self.tgt_emb = nn.Embedding(tgt_vocab, d)
        self.pos = nn.Embedding(MAX_LEN, d)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 4 * d, 0.1, batch_first=True), layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, heads, 4 * d, 0.1, batch_first=True), layers)
        self.out = nn.Linear(d, tgt_vocab)
        self.register_buffer("causal", torch.triu(torch.ones(MAX_LEN, MAX_LEN, dtype=torch.bool), 1))

    def encode(self, src, src_pad):
        x = self.src_emb(src) + self.pos.weight[: src.size(1)]
        return self.encoder(x, src_key_padding_mask=src_pad)

    def decode(self, tgt, memory, tgt_pad):
        L = tgt.size(1)
        y = self.tgt_emb(tgt) + self.pos.weight[:L]
        h = self.decoder(y, memory, tgt_mask=self.causal[:L, :L], tgt_key_padding_mask=tgt_pad[:, :L],
                         memory_key_padding_mask=tgt_pad)  # expect: ML503
        return self.out(h)
