"""Multimodal fusion: text tokens cross-attend to image patches with SDPA. Images of different
aspect ratio leave invalid patches; patch_valid (True = real patch) is already a keep mask."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class FusionOutput:
    text: torch.Tensor
    pooled: torch.Tensor


class TextToImageAttention(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.h = heads
        self.q, self.kv, self.o = nn.Linear(d, d), nn.Linear(d, 2 * d), nn.Linear(d, d)

    def forward(self, text, patches, patch_valid):
        B, T, D = text.shape
        q = self.q(text).view(B, T, self.h, -1).transpose(1, 2)
        k, v = self.kv(patches).view(B, -1, 2, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=patch_valid[:, None, None, :])
        return text + self.o(y.transpose(1, 2).reshape(B, T, D))


class Fusion(nn.Module):
    def __init__(self):
        super().__init__()
        self.xattn = TextToImageAttention()

    def forward(self, text, patches, patch_valid) -> FusionOutput:
        t = self.xattn(text, patches, patch_valid)
        return FusionOutput(t, t.mean(1))


if __name__ == "__main__":
    valid = torch.ones(2, 16, dtype=torch.bool); valid[1, 12:] = False
    out = Fusion()(torch.randn(2, 5, 64), torch.randn(2, 16, 64), valid)
    print(out.pooled.shape)
