"""Propagation-opening detector from shortwave listening (SWL) logs.

A listening post logs heard broadcasters per frequency scan: frequency band,
signal report (SINPO), broadcaster region, minutes since previous log entry.
Windows of recent entries are kept time-major, (entries, windows), as the
log reader streams them; windows with fewer entries are padded at the start.
"""
import torch
import torch.nn as nn

BANDS = ("120m", "90m", "75m", "60m", "49m", "41m", "31m", "25m", "22m", "19m", "16m", "13m")
PAD_REGION = 0


class OpeningDetector(nn.Module):
    def __init__(self, n_regions=30, d=32, heads=4):
        super().__init__()
        self.band = nn.Embedding(len(BANDS), d)
        self.region = nn.Embedding(n_regions, d, padding_idx=PAD_REGION)
        self.sinpo = nn.Linear(5, d)
        self.gap = nn.Linear(1, d)
        self.attn = nn.MultiheadAttention(d, heads)   # time-major
        self.norm = nn.LayerNorm(d)
        self.open = nn.Linear(d, len(BANDS))

    def forward(self, band, region, sinpo, gap_min):
        # band, region, gap_min: (S, N); sinpo: (S, N, 5)
        x = self.band(band) + self.region(region) + self.sinpo(sinpo) + self.gap(gap_min.unsqueeze(-1))
        empty = (region == PAD_REGION).transpose(0, 1)     # (N, S) as key_padding_mask expects
        a, _ = self.attn(x, x, x, key_padding_mask=empty)
        x = self.norm(x + a)
        return torch.sigmoid(self.open(x[-1]))              # per-band opening probability


if __name__ == "__main__":
    torch.manual_seed(0)
    S, N = 24, 3
    region = torch.randint(1, 30, (S, N))
    region[:10, 1] = PAD_REGION
    region[:3, 2] = PAD_REGION
    model = OpeningDetector()
    p = model(torch.randint(0, len(BANDS), (S, N)), region, torch.rand(S, N, 5), torch.rand(S, N) * 10)
    print(p.shape)
