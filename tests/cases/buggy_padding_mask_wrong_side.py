"""A padding mask handed to the wrong sequence's parameter.

memory_key_padding_mask describes the *encoder* keys (N, S); giving it the target padding
(N, T) masks the wrong positions when S == T and fails otherwise.  Likewise for the encoder's
src_key_padding_mask.
"""
import torch
import torch.nn as nn


class Translator(nn.Module):
    def __init__(self, vocab, d_model=512, nhead=8, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab, d_model)
        self.transformer = nn.Transformer(d_model, nhead, batch_first=True)
        self.proj = nn.Linear(d_model, vocab)

    def forward(self, src, tgt):
        src_pad = src == self.pad_id
        tgt_pad = tgt == self.pad_id
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(1), device=tgt.device, dtype=torch.bool)
        out = self.transformer(
            self.embed(src),
            self.embed(tgt),
            tgt_mask=tgt_mask,
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=tgt_pad,  # expect: ML503
        )
        return self.proj(out)


class EncoderDecoder(nn.Module):
    def __init__(self, vocab, d_model=256, nhead=4, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab, d_model)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, batch_first=True), 3)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d_model, nhead, batch_first=True), 3)

    def forward(self, src, tgt):
        src_pad, tgt_pad = src == self.pad_id, tgt == self.pad_id
        memory = self.encoder(self.embed(src), src_key_padding_mask=tgt_pad)  # expect: ML503
        causal = torch.ones(tgt.size(1), tgt.size(1), dtype=torch.bool, device=tgt.device).triu(1)
        return self.decoder(self.embed(tgt), memory, tgt_mask=causal, tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad)
