"""Temporal attention for EEG windows; formerly a hand-written attention that took a
"visible" mask (True = may look), now moved onto nn.MultiheadAttention."""
import torch
from torch import nn


class TemporalAttentionBlock(nn.Module):
    def __init__(self, n_chans: int = 32, n_heads: int = 4, drop_prob: float = 0.0):
        super().__init__()
        self.norm = nn.LayerNorm(n_chans)
        self.mha = nn.MultiheadAttention(n_chans, n_heads, dropout=drop_prob, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(n_chans, 2 * n_chans), nn.GELU(), nn.Linear(2 * n_chans, n_chans))

    def forward(self, x):
        # x: (batch, time, chans)
        n_times = x.shape[1]
        future = torch.ones(n_times, n_times, dtype=torch.bool, device=x.device).triu(diagonal=1)
        visible = future.logical_not()
        h = self.norm(x)
        h, _ = self.mha(h, h, h, attn_mask=visible, need_weights=False)  # expect: ML101
        x = x + h
        return x + self.ff(x)
