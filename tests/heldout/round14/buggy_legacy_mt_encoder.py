"""Time-major Transformer encoder for a legacy translation pipeline.

The old torchtext BucketIterator yields token tensors shaped (src_len, batch); the encoder
keeps that layout end to end and returns a fairseq-style encoder_out dict."""
from __future__ import annotations

import math
from typing import Dict, List

import torch
from torch import nn


class EncoderLayer(nn.Module):
    def __init__(self, embed_dim: int, heads: int, ffn_dim: int, dropout: float):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads, dropout=dropout)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1, self.fc2 = nn.Linear(embed_dim, ffn_dim), nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, encoder_padding_mask: torch.Tensor) -> torch.Tensor:
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x,
                              key_padding_mask=encoder_padding_mask)  # expect: ML304
        x = self.self_attn_layer_norm(residual + self.dropout(x))
        residual = x
        x = self.fc2(self.dropout(torch.relu(self.fc1(x))))
        return self.final_layer_norm(residual + self.dropout(x))


class TimeMajorEncoder(nn.Module):
    def __init__(self, vocab: int, padding_idx: int = 1, embed_dim: int = 64, heads: int = 4, layers: int = 2,
                 dropout: float = 0.1, max_positions: int = 256):
        super().__init__()
        self.padding_idx = padding_idx
        self.embed_scale = math.sqrt(embed_dim)
        self.embed_tokens = nn.Embedding(vocab, embed_dim, padding_idx=padding_idx)
        self.embed_positions = nn.Embedding(max_positions, embed_dim)
        self.layers = nn.ModuleList(EncoderLayer(embed_dim, heads, 2 * embed_dim, dropout) for _ in range(layers))

    def forward(self, src_tokens: torch.Tensor) -> Dict[str, List[torch.Tensor]]:
        """src_tokens: (src_len, batch)."""
        encoder_padding_mask = src_tokens.eq(self.padding_idx)
        positions = torch.arange(src_tokens.size(0), device=src_tokens.device)[:, None]
        x = self.embed_scale * self.embed_tokens(src_tokens) + self.embed_positions(positions)
        x = x.masked_fill(encoder_padding_mask[..., None], 0.0)
        for layer in self.layers:
            x = layer(x, encoder_padding_mask)
        return {"encoder_out": [x], "encoder_padding_mask": [encoder_padding_mask]}


def bucket_batch(sentences: List[List[int]], pad: int = 1) -> torch.Tensor:
    width = max(map(len, sentences))
    return torch.tensor([s + [pad] * (width - len(s)) for s in sentences]).t().contiguous()


def mean_pool(enc: Dict[str, List[torch.Tensor]]) -> torch.Tensor:
    x, pad = enc["encoder_out"][0], enc["encoder_padding_mask"][0]
    keep = (~pad).unsqueeze(-1).float()
    return (x * keep).sum(0) / keep.sum(0)


if __name__ == "__main__":
    torch.manual_seed(0)
    encoder = TimeMajorEncoder(vocab=1000)
    sentences = [[45, 812, 9, 33, 2], [71, 5, 2], [300, 301, 302, 303, 304, 305, 2]]
    src = bucket_batch(sentences)
    try:
        enc = encoder(src)
        print("encoder_out", tuple(enc["encoder_out"][0].shape), "pooled", tuple(mean_pool(enc).shape))
    except (AssertionError, RuntimeError) as err:
        print("encoder failed:", err)
