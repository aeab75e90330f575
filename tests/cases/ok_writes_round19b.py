"""Near-misses: the cached causal mask as a block mask, the per-sample loop writing the padding,
the fill assigned (or done in place)."""
from typing import List

import torch
import torch.nn as nn
import torch.nn.functional as F


class CachedMaskLM(nn.Module):
    def __init__(self, vocab=500, d=64):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.stack = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, 4 * d, batch_first=True), 2)
        self.head = nn.Linear(d, vocab)
        self.register_buffer("causal_mask_cache", torch.empty(0, 0, dtype=torch.bool), persistent=False)

    def mask_for(self, n):
        if self.causal_mask_cache.size(0) < n:
            m = torch.ones(n, n, dtype=torch.bool)
            m.triu_(1)
            self.causal_mask_cache = m
        return self.causal_mask_cache[:n, :n]

    def forward(self, ids):
        return self.head(self.stack(self.tok(ids), mask=self.mask_for(ids.size(1))))


def frames_mask(durations: List[float], n_frames: int, hop: float = 0.01) -> torch.Tensor:
    mask = torch.zeros(len(durations), n_frames, dtype=torch.bool)
    for row, seconds in enumerate(durations):
        last = min(n_frames, int(seconds / hop))
        mask[row, last:] = True
    return mask


def encode_clips(encoder: nn.TransformerEncoder, feats, durations):
    return encoder(feats, src_key_padding_mask=frames_mask(durations, feats.size(1)))


def attend_with_bias(q, k, v, pad):
    bias = torch.zeros(pad.size(0), 1, 1, pad.size(1), dtype=q.dtype)
    bias = bias.masked_fill(pad[:, None, None, :], float("-inf"))
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)


def attend_in_place(q, k, v, pad):
    bias = torch.zeros(pad.size(0), 1, 1, pad.size(1), dtype=q.dtype)
    bias.masked_fill_(pad[:, None, None, :], float("-inf"))
    return F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
