"""Submodules of torch's modules (nn.Transformer.encoder / .decoder, .layers[i].self_attn) called
directly, on tensors unpacked from a batch."""
import torch
from torch import nn


class Seq2Seq(nn.Module):
    def __init__(self, vocab=1000, d=64, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, d, padding_idx=pad_id)
        self.transformer = nn.Transformer(d, 4, 2, 2, batch_first=True)
        self.out = nn.Linear(d, vocab)

    def step(self, batch):
        src, tgt = batch
        src_pad = src == self.pad_id
        tgt_pad = tgt == self.pad_id
        memory = self.transformer.encoder(self.emb(src), src_key_padding_mask=src_pad)
        T = tgt.size(1)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        out = self.transformer.decoder(self.emb(tgt), memory, tgt_mask=causal,
                                       tgt_key_padding_mask=tgt_pad,
                                       memory_key_padding_mask=tgt_pad)  # expect: ML503
        return self.out(out)


class Probe(nn.Module):
    """Reads the first encoder layer's attention with a keep mask."""

    def __init__(self, d=64):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d, 4, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)

    def forward(self, batch):
        x, lengths = batch
        S = x.size(1)
        real = torch.arange(S)[None, :] < lengths[:, None]
        attn = self.encoder.layers[0].self_attn
        return attn(x, x, x, key_padding_mask=real)  # expect: ML101
