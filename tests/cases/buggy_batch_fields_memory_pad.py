"""Padding masks carried as fields of a batch object (a NamedTuple, a dataclass): the target's
padding mask handed to the decoder as the memory's."""
from dataclasses import dataclass
from typing import NamedTuple

import torch
import torch.nn as nn


class PairBatch(NamedTuple):
    source: torch.Tensor
    target_in: torch.Tensor
    source_pad: torch.Tensor
    target_pad: torch.Tensor


@dataclass
class SpeechBatch:
    frames: torch.Tensor
    tokens: torch.Tensor
    frame_pad: torch.Tensor
    tgt_pad: torch.Tensor


class Rewriter(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.transformer = nn.Transformer(dim, 4, 2, 2, batch_first=True)

    def forward(self, batch: PairBatch):
        t = batch.target_in.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(t, dtype=torch.bool)
        return self.transformer(batch.source, batch.target_in, tgt_mask=causal,
                                src_key_padding_mask=batch.source_pad,
                                tgt_key_padding_mask=batch.target_pad,
                                memory_key_padding_mask=batch.target_pad)  # expect: ML503


class Speller(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        layer = nn.TransformerDecoderLayer(dim, 4, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, 2)

    def forward(self, memory, batch: SpeechBatch):
        t = batch.tokens.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(t, dtype=torch.bool)
        return self.decoder(batch.tokens, memory, tgt_mask=causal, tgt_key_padding_mask=batch.tgt_pad,
                            memory_key_padding_mask=batch.tgt_pad)  # expect: ML503
