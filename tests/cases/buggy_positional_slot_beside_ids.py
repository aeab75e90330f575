"""A padding mask made from the attention_mask a model takes beside its token ids, passed
positionally into the slot of another mask (the second argument of nn.TransformerEncoder is
`mask`, the third of nn.TransformerDecoder is `tgt_mask`)."""
import torch.nn as nn


class Tower(nn.Module):
    def __init__(self, vocab=200, d=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, 64, batch_first=True), 2)

    def forward(self, ids, attention_mask):
        pad = attention_mask == 0
        return self.encoder(self.emb(ids), pad)  # expect: ML501


class Captioner(nn.Module):
    def __init__(self, vocab=200, d=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, heads, 64, batch_first=True), 2)

    def forward(self, input_ids, memory, attention_mask):
        return self.decoder(self.emb(input_ids), memory, ~attention_mask.bool())  # expect: ML501
