"""Variable-length ECG beat classifier: padded windows of beats, SDPA encoder."""
from typing import List

import torch
import torch.nn as nn
import torch.nn.functional as F


class BeatEncoder(nn.Module):
    def __init__(self, in_ch=12, d=128):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(in_ch, d, kernel_size=7, padding=3), nn.GELU(),
            nn.Conv1d(d, d, kernel_size=7, padding=3), nn.GELU(),
            nn.AdaptiveAvgPool1d(1),
        )

    def forward(self, beats):                     # (B, T, C, L)
        B, T, C, L = beats.shape
        z = self.conv(beats.reshape(B * T, C, L)).squeeze(-1)
        return z.view(B, T, -1)


class SequenceAttention(nn.Module):
    def __init__(self, d=128, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x, lengths: List[int]):
        B, T, D = x.shape
        pad = torch.zeros(B, T, dtype=torch.bool, device=x.device)
        for i, n in enumerate(lengths):
            pad[i, n:] = True

        q, k, v = self.qkv(x).view(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=pad[:, None, None, :],  # expect: ML102
        )
        return self.proj(y.transpose(1, 2).reshape(B, T, D)), pad


class RhythmClassifier(nn.Module):
    def __init__(self, n_classes=9, d=128):
        super().__init__()
        self.enc = BeatEncoder(d=d)
        self.attn = SequenceAttention(d)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, n_classes)

    def forward(self, beats, lengths):
        x = self.enc(beats)
        h, pad = self.attn(x, lengths)
        h = self.norm(x + h)
        h = h.masked_fill(pad[..., None], 0.0)
        pooled = h.sum(1) / torch.tensor(lengths, device=h.device)[:, None]
        return self.head(pooled)


if __name__ == "__main__":
    model = RhythmClassifier()
    beats = torch.randn(3, 10, 12, 250)
    logits = model(beats, [10, 6, 3])
    print(F.cross_entropy(logits, torch.tensor([0, 3, 8])).item())
