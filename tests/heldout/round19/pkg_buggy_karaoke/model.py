import torch
import torch.nn as nn

from .masks import note_causal_mask
from .tokenize import MAX_LEN, NOTE_VOCAB


class LyricToMelody(nn.Module):
    def __init__(self, n_syllables=4000, d=64, heads=4, layers=2):
        super().__init__()
        self.syl = nn.Embedding(n_syllables, d, padding_idx=0)
        self.note = nn.Embedding(len(NOTE_VOCAB), d, padding_idx=0)
        self.pos = nn.Embedding(MAX_LEN, d)
        enc = nn.TransformerEncoderLayer(d, heads, 2 * d, dropout=0.1, batch_first=True)
        dec = nn.TransformerDecoderLayer(d, heads, 2 * d, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc, layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec, layers)
        self.out = nn.Linear(d, len(NOTE_VOCAB))

    def _embed(self, table, ids):
        return table(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def encode(self, syl_ids, syl_pad):
        return self.encoder(self._embed(self.syl, syl_ids), src_key_padding_mask=syl_pad)

    def decode(self, memory, note_ids, memory_pad, note_pad):
        causal = note_causal_mask(note_ids.size(1), note_ids.device)
        h = self.decoder(
            self._embed(self.note, note_ids),
            memory,
            tgt_mask=causal,
            tgt_key_padding_mask=note_pad,
            memory_key_padding_mask=memory_pad,
        )
        return self.out(h)

    def forward(self, syl_ids, syl_pad, note_ids, note_pad):
        memory = self.encode(syl_ids, syl_pad)
        return self.decode(memory, note_ids, note_pad, syl_pad)  # BUG: decode() takes (memory, notes, memory_pad, note_pad); the two padding masks are passed in swapped order
