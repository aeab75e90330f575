"""Sleep-stage classifier over 30-s EEG epochs with local-window FlexAttention (sequence-to-sequence staging)."""
import warnings

import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

warnings.filterwarnings("ignore", message=".*flex_attention called without torch.compile.*")

STAGES = ["W", "N1", "N2", "N3", "REM"]


class EpochEncoder(nn.Module):
    """Raw 30-s epoch (3000 samples @100 Hz) -> feature vector."""

    def __init__(self, d):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv1d(1, 32, 50, stride=6), nn.ReLU(), nn.MaxPool1d(8),
            nn.Conv1d(32, d, 8), nn.ReLU(), nn.AdaptiveAvgPool1d(1))

    def forward(self, x):
        B, E, T = x.shape
        return self.net(x.reshape(B * E, 1, T)).view(B, E, -1)


class LocalContextAttention(nn.Module):
    def __init__(self, d, heads, window):
        super().__init__()
        self.h, self.window = heads, window
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)

    def forward(self, x):
        B, E, D = x.shape
        q, k, v = self.qkv(x).view(B, E, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        w = self.window

        def outside_window(b, h, q_idx, kv_idx):
            return (q_idx - kv_idx).abs() > w

        block_mask = create_block_mask(outside_window, B=None, H=None, Q_LEN=E, KV_LEN=E, device=x.device)
        y = flex_attention(q, k, v, block_mask=block_mask)  # expect: ML102
        return self.out(y.transpose(1, 2).reshape(B, E, D))


class SleepStager(nn.Module):
    def __init__(self, d=64, heads=4, window=5, depth=2):
        super().__init__()
        self.epoch_enc = EpochEncoder(d)
        self.attn = nn.ModuleList(LocalContextAttention(d, heads, window) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.cls = nn.Linear(d, len(STAGES))

    def forward(self, eeg):
        h = self.epoch_enc(eeg)
        for attn, norm in zip(self.attn, self.norm):
            h = h + attn(norm(h))
        return self.cls(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    night = torch.randn(2, 20, 3000)  # 2 recordings x 20 epochs
    model = SleepStager().eval()
    with torch.no_grad():
        logits = model(night)
    hypnogram = [[STAGES[i] for i in row] for row in logits.argmax(-1).tolist()]
    print(logits.shape, hypnogram[0][:10])
