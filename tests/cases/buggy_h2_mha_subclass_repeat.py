"""MHA subclass that accepts per-sample (N, L, S) masks."""
import torch
import torch.nn as nn


class PerSampleMHA(nn.MultiheadAttention):
    def forward(self, query, key, value, sample_mask=None, **kwargs):
        # sample_mask: (N, L, S) bool, True = blocked
        if sample_mask is not None:
            sample_mask = sample_mask.repeat(self.num_heads, 1, 1)
        return super().forward(query, key, value, attn_mask=sample_mask, **kwargs)  # expect: ML302


class CrossModal(nn.Module):
    def __init__(self, d=256, h=8):
        super().__init__()
        self.attn = PerSampleMHA(d, h, batch_first=True)

    def forward(self, video, text, video_valid, text_valid):
        # block pairs where either side is padding
        blocked = ~(text_valid[:, :, None] & video_valid[:, None, :])
        out, _ = self.attn(text, video, video, sample_mask=blocked)
        return out
