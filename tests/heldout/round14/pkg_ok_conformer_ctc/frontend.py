import torch
from torch import nn


class Conv1dSubsampler(nn.Module):
    """Two stride-2 Conv1d layers with GLU, as in fairseq's S2T models."""

    def __init__(self, in_ch: int, mid_ch: int, out_ch: int, kernel: int = 5):
        super().__init__()
        self.kernel = kernel
        self.convs = nn.ModuleList([
            nn.Conv1d(in_ch, mid_ch, kernel, stride=2, padding=kernel // 2),
            nn.Conv1d(mid_ch // 2, out_ch * 2, kernel, stride=2, padding=kernel // 2),
        ])

    def out_lengths(self, lengths: torch.Tensor) -> torch.Tensor:
        for _ in self.convs:
            lengths = (lengths.float() - 1) / 2 + 1
            lengths = lengths.floor().long()
        return lengths

    def forward(self, feats: torch.Tensor, lengths: torch.Tensor):
        x = feats.transpose(1, 2)
        for conv in self.convs:
            x = nn.functional.glu(conv(x), dim=1)
        return x.transpose(1, 2), self.out_lengths(lengths)
