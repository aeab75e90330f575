"""Translation encoder with a float padding mask filled per sentence."""
import math
from typing import List, Sequence

import torch
import torch.nn as nn


def sinusoid_table(n_pos: int, d_model: int) -> torch.Tensor:
    pos = torch.arange(n_pos, dtype=torch.float32)[:, None]
    i = torch.arange(0, d_model, 2, dtype=torch.float32)
    angle = pos / torch.pow(10000.0, i / d_model)
    table = torch.zeros(n_pos, d_model)
    table[:, 0::2] = torch.sin(angle)
    table[:, 1::2] = torch.cos(angle)
    return table


class SourceEncoder(nn.Module):
    def __init__(self, src_vocab, d_model=64, nhead=4, layers=2, dropout=0.1):
        super().__init__()
        self.scale = math.sqrt(d_model)
        self.embed = nn.Embedding(src_vocab, d_model)
        self.register_buffer("pos_table", sinusoid_table(1024, d_model), persistent=False)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout), layers, enable_nested_tensor=False
        )

    @staticmethod
    def padding_mask(lengths: Sequence[int], max_len: int) -> torch.Tensor:
        pad = torch.zeros(len(lengths), max_len)
        for b, n in enumerate(lengths):
            pad[b, n:] = float("-inf")
        return pad

    def forward(self, src, lengths):
        S = src.size(0)
        x = self.embed(src) * self.scale + self.pos_table[:S].unsqueeze(1)
        return self.encoder(x, src_key_padding_mask=self.padding_mask(lengths, S).to(src.device))


def batchify(sentences: List[List[int]], pad_id: int = 0):
    lengths = [len(s) for s in sentences]
    src = torch.full((max(lengths), len(sentences)), pad_id, dtype=torch.long)
    for b, s in enumerate(sentences):
        src[: len(s), b] = torch.tensor(s)
    return src, lengths
