"""Autoregressive time-series forecaster (patches attend to earlier patches)."""
import torch
import torch.nn as nn


class PatchForecaster(nn.Module):
    def __init__(self, patch_len=8, d_model=64, n_heads=4):
        super().__init__()
        self.embed = nn.Linear(patch_len, d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.head = nn.Linear(d_model, patch_len)

    def forward(self, patches):
        # patches: (B, P, patch_len); predict patch p+1 from patches <= p
        n = patches.size(1)
        idx = torch.arange(n, device=patches.device)
        no_peek = idx[:, None] <= idx[None, :]
        z = self.embed(patches)
        z2, _ = self.attn(z, z, z, attn_mask=no_peek)  # expect: ML404
        return self.head(z + z2)
