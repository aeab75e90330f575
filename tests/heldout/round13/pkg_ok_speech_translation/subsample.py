import torch.nn as nn


class Conv2dSubsampler(nn.Module):
    """(N, T, 80) -> (N, ceil(T/4), d); returns the new lengths too."""

    def __init__(self, d):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 32, 3, 2, 1), nn.ReLU())
        self.out = nn.Linear(32 * 20, d)

    def forward(self, fbank, lengths):
        x = self.conv(fbank.unsqueeze(1))                 # (N, 32, T', 20)
        x = self.out(x.permute(0, 2, 1, 3).flatten(2))
        for _ in range(2):
            lengths = (lengths - 1) // 2 + 1
        return x, lengths
