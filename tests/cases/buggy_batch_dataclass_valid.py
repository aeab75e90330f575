"""Masks carried in a batch dataclass, named by what True means (agent_valid, observed_mask:
True = real), reach the attention call with that polarity."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class SceneBatch:
    history: torch.Tensor  # (B, A, T, F)
    agent_valid: torch.Tensor  # (B, A)


@dataclass
class SeriesBatch:
    values: torch.Tensor
    observed_mask: torch.Tensor


class SocialAttention(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, agents, batch: SceneBatch):
        return self.attn(agents, agents, agents, key_padding_mask=batch.agent_valid)[0]  # expect: ML101


class SeriesEncoder(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, h, batch: SeriesBatch):
        B, T, D = h.shape
        q, k, v = self.qkv(h).view(B, T, 3, 4, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=~batch.observed_mask[:, None, None, :])  # expect: ML102
