"""Seq2seq: the collate gives a keep mask ("mask", True = real token) for the source; the model's
encode() returns its own dict whose "mask" is the MHA-style padding mask (True = pad), which the
decoder step reads from the cached encoder outputs during generation.  Correct code."""
import torch
import torch.nn as nn

PAD = 0


def collate_pairs(items):
    src = nn.utils.rnn.pad_sequence([s for s, _ in items], batch_first=True, padding_value=PAD)
    tgt = nn.utils.rnn.pad_sequence([t for _, t in items], batch_first=True, padding_value=PAD)
    return {"src": src, "tgt": tgt, "mask": src != PAD}


class Translator(nn.Module):
    def __init__(self, vocab=1000, dim=64, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(dim, heads, batch_first=True), 2)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(dim, heads, batch_first=True), 2)
        self.out = nn.Linear(dim, vocab)

    def encode(self, src):
        pad = src == PAD
        return {"memory": self.encoder(self.emb(src), src_key_padding_mask=pad), "mask": pad}

    def decode_step(self, tgt, encoder_outputs):
        L = tgt.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(L)
        h = self.decoder(self.emb(tgt), encoder_outputs["memory"], tgt_mask=causal,
                         memory_key_padding_mask=encoder_outputs["mask"])
        return self.out(h[:, -1])

    def forward(self, batch):
        enc = self.encode(batch["src"])
        return self.decode_step(batch["tgt"], enc)
