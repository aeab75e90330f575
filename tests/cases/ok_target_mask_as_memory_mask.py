"""Correct twins: the memory gets the source's padding mask; and a denoising autoencoder whose
memory is the encoded target itself, so the target's padding mask is the memory's."""
import torch
import torch.nn as nn


class Translator(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.core = nn.Transformer(d, heads, 2, 2, 128, batch_first=True)

    def forward(self, src, tgt, src_pad, tgt_pad):
        causal = self.core.generate_square_subsequent_mask(tgt.size(1), dtype=torch.bool)
        return self.core(src, tgt, tgt_mask=causal, src_key_padding_mask=src_pad,
                         tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad)


class DenoisingAutoencoder(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, batch_first=True), 2)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, heads, batch_first=True), 2)

    def forward(self, tgt, tgt_pad):
        memory = self.encoder(tgt, src_key_padding_mask=tgt_pad)
        t = tgt.size(1)
        causal = torch.ones(t, t, dtype=torch.bool).triu(1)
        return self.decoder(tgt, memory, tgt_mask=causal, tgt_key_padding_mask=tgt_pad,
                            memory_key_padding_mask=tgt_pad)


class MoleculeTranslator(nn.Module):
    """Both padding masks come from one helper method, so both are computed from its `seq`: the
    memory gets the source's, the target's goes to the target slot."""

    def __init__(self, d=64, heads=4):
        super().__init__()
        self.emb = nn.Embedding(40, d, padding_idx=0)
        self.core = nn.Transformer(d, heads, 2, 2, 128, batch_first=True)

    def padding_of(self, seq):
        return seq == 0

    def forward(self, src, tgt):
        src_pad, tgt_pad = self.padding_of(src), self.padding_of(tgt)
        causal = self.core.generate_square_subsequent_mask(tgt.size(1))
        return self.core(self.emb(src), self.emb(tgt), tgt_mask=causal, src_key_padding_mask=src_pad,
                         tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad)


def smoke():
    src = torch.tensor([[5, 6, 7, 0, 0], [8, 9, 10, 11, 12]])
    tgt = torch.tensor([[1, 5, 6], [1, 8, 9]])
    return MoleculeTranslator()(src, tgt)
