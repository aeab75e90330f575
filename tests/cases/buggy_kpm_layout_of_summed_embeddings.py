"""Time-major inputs embedded field by field and summed: the sum is laid out like each of them, so
a padding mask built from any one field is (S, N) too, and key_padding_mask wants (N, S)."""
import torch
import torch.nn as nn

PAD = 0


class ContestAdvisor(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.band = nn.Embedding(6, d)
        self.prefix = nn.Embedding(350, d, padding_idx=PAD)
        self.gap = nn.Linear(1, d)
        self.attn = nn.MultiheadAttention(d, heads)

    def forward(self, band, prefix, gap_min):
        x = self.band(band) + self.prefix(prefix) + self.gap(gap_min.unsqueeze(-1))
        empty = prefix == PAD
        return self.attn(x, x, x, key_padding_mask=empty)[0]  # expect: ML304


class FieldEncoder(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.word = nn.Embedding(1000, d, padding_idx=PAD)
        self.tag = nn.Embedding(40, d)
        self.layer = nn.TransformerEncoderLayer(d, 4)

    def forward(self, words, tags):
        h = self.tag(tags) + self.word(words)
        return self.layer(h, src_key_padding_mask=words.eq(PAD))  # expect: ML304
