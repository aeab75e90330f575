"""Decoder-only patch forecaster (TimesFM-like): series are split into patches, some
leading patches are padding for short series; the decoder is causal over patches."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class PatchCfg:
    patch: int = 4
    d: int = 32
    heads: int = 4
    dropout: float = 0.1


class PatchAttention(nn.Module):
    def __init__(self, cfg: PatchCfg):
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(cfg.d, 3 * cfg.d)
        self.o = nn.Linear(cfg.d, cfg.d)

    def forward(self, x, patch_keep):
        B, P, D = x.shape
        H = self.cfg.heads
        q, k, v = self.qkv(x).view(B, P, 3, H, D // H).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(  # expect: ML403
            q, k, v,
            attn_mask=patch_keep[:, None, None, :],
            dropout_p=self.cfg.dropout if self.training else 0.0,
            is_causal=True,
        )
        return self.o(y.transpose(1, 2).reshape(B, P, D))


class PatchForecaster(nn.Module):
    def __init__(self, cfg=PatchCfg()):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Linear(cfg.patch, cfg.d)
        self.attn = PatchAttention(cfg)
        self.out = nn.Linear(cfg.d, cfg.patch)

    def forward(self, series, n_pad_patches):
        B = series.size(0)
        patches = series.view(B, -1, self.cfg.patch)
        P = patches.size(1)
        keep = torch.arange(P)[None, :] >= n_pad_patches[:, None]
        keep[:, -1] = True
        h = self.embed(patches)
        return self.out(h + self.attn(h, keep))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PatchForecaster().train()
    series = torch.randn(2, 24)
    n_pad = torch.tensor([0, 2])
    try:
        model(series, n_pad)
        print("ran")
    except RuntimeError as e:
        print("FAILURE SHOWN:", str(e)[:100])
