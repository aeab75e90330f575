"""P/S phase picking on 3-component seismograms.

A conv stem downsamples the waveform; a windowed self-attention layer then
lets every step look at its neighbourhood before per-step phase logits.
"""
import torch
import torch.nn as nn


def window_bias(n, radius, device=None):
    pos = torch.arange(n, device=device)
    near = (pos[:, None] - pos[None, :]).abs() <= radius
    return torch.zeros(n, n, device=device).masked_fill(near, float("-inf"))


class PhasePicker(nn.Module):
    def __init__(self, dim=32, heads=4, radius=6):
        super().__init__()
        self.radius = radius
        self.stem = nn.Sequential(
            nn.Conv1d(3, dim, 7, stride=2, padding=3), nn.GELU(),
            nn.Conv1d(dim, dim, 5, stride=2, padding=2), nn.GELU(),
        )
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.picks = nn.Linear(dim, 3)  # noise / P / S

    def forward(self, wave):
        h = self.stem(wave).transpose(1, 2)
        bias = window_bias(h.size(1), self.radius, h.device)
        a, _ = self.attn(h, h, h, attn_mask=bias, need_weights=False)  # expect: ML103
        h = self.norm(h + a)
        return self.picks(h)


if __name__ == "__main__":
    print(PhasePicker()(torch.randn(2, 3, 400)).shape)
