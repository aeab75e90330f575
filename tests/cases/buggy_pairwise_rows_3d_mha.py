"""Per-sample pair masks built by lifting a (B, S) availability tensor on both axes: (B, S, S)
masks that nn.MultiheadAttention with 4 heads reads as (B * 4, S, S)."""
import torch
import torch.nn as nn


class RackScheduler(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, x, online):
        both = online[:, None, :] & online[:, :, None]
        y, _ = self.attn(x, x, x, attn_mask=~both)  # expect: ML301
        pairs = online.unsqueeze(2) & online[:, None, :]
        z, _ = self.attn(x, x, x, attn_mask=~pairs)  # expect: ML301
        return y + z
