"""Birdsong syllable model: next-frame prediction with local (sliding-window) attention.

Spectrogram frames only look back a set number of frames.
"""
import torch
from torch import nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

LOOKBACK = 8


def outside_lookback(b, h, q_idx, kv_idx):
    return (kv_idx > q_idx) | (q_idx - kv_idx > LOOKBACK)


class LocalSyllableModel(nn.Module):
    def __init__(self, n_bins=64, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.inp = nn.Linear(n_bins, dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
        self.out = nn.Linear(dim, n_bins)

    def forward(self, frames):
        b, t, _ = frames.shape
        x = self.inp(frames)
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        block_mask = create_block_mask(outside_lookback, None, None, t, t, device=frames.device)
        y = flex_attention(q, k, v, block_mask=block_mask)  # expect: ML102
        x = x + self.proj(y.transpose(1, 2).reshape(b, t, -1))
        return self.out(x + self.ff(x))


def next_frame_loss(model, spec):
    pred = model(spec[:, :-1])
    return nn.functional.l1_loss(pred, spec[:, 1:])


if __name__ == "__main__":
    torch.manual_seed(0)
    spec = torch.rand(2, 33, 64).log1p()
    model = LocalSyllableModel().eval()
    with torch.no_grad():
        print(next_frame_loss(model, spec).item())
