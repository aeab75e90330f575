"""MHA subclass expanding per-sample masks in batch-major order (two equivalent idioms). Correct."""
import torch
import torch.nn as nn


class PerSampleMHA(nn.MultiheadAttention):
    def forward(self, query, key, value, sample_mask=None, **kwargs):
        if sample_mask is not None:
            N, L, S = sample_mask.shape
            if kwargs.pop("use_expand", False):
                sample_mask = sample_mask.unsqueeze(1).expand(N, self.num_heads, L, S).reshape(N * self.num_heads, L, S)
            else:
                sample_mask = sample_mask.repeat_interleave(self.num_heads, dim=0)
        return super().forward(query, key, value, attn_mask=sample_mask, **kwargs)


class Fusion(nn.Module):
    def __init__(self, d=128, h=4):
        super().__init__()
        self.attn = PerSampleMHA(d, h, batch_first=True)

    def forward(self, a, b, a_valid, b_valid):
        blocked = ~(a_valid[:, :, None] & b_valid[:, None, :])
        blocked = blocked & a_valid[:, :, None]  # padded queries keep all keys: no empty rows
        out, _ = self.attn(a, b, b, sample_mask=blocked)
        return out
