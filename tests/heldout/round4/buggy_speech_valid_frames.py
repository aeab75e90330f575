"""Conformer-lite encoder for keyword spotting (frame masks built from lengths)."""
import torch
import torch.nn as nn


def make_frame_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    mask = torch.zeros(lengths.size(0), max_len, dtype=torch.bool, device=lengths.device)
    for b, l in enumerate(lengths.tolist()):
        mask[b, :l] = True                                 # valid frames
    return mask


class ConvModule(nn.Module):
    def __init__(self, d, kernel=15):
        super().__init__()
        self.pw1 = nn.Conv1d(d, 2 * d, 1)
        self.dw = nn.Conv1d(d, d, kernel, padding=kernel // 2, groups=d)
        self.bn = nn.BatchNorm1d(d)
        self.pw2 = nn.Conv1d(d, d, 1)

    def forward(self, x):                                  # (B, T, D)
        y = nn.functional.glu(self.pw1(x.transpose(1, 2)), dim=1)
        y = self.pw2(nn.functional.silu(self.bn(self.dw(y))))
        return y.transpose(1, 2)


class ConformerBlock(nn.Module):
    def __init__(self, d=144, heads=4, dropout=0.1):
        super().__init__()
        self.ff1 = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.SiLU(), nn.Linear(4 * d, d))
        self.norm_mha = nn.LayerNorm(d)
        self.mhsa = nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True)
        self.conv = ConvModule(d)
        self.norm_conv = nn.LayerNorm(d)
        self.ff2 = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.SiLU(), nn.Linear(4 * d, d))
        self.norm_out = nn.LayerNorm(d)

    def forward(self, x, frame_mask):
        x = x + 0.5 * self.ff1(x)
        h = self.norm_mha(x)
        h, _ = self.mhsa(h, h, h, key_padding_mask=frame_mask, need_weights=False)
        x = x + h
        x = x + self.conv(self.norm_conv(x))
        x = x + 0.5 * self.ff2(x)
        return self.norm_out(x)


class KWSConformer(nn.Module):
    def __init__(self, n_mels=40, d=144, n_blocks=4, n_keywords=12):
        super().__init__()
        self.inp = nn.Linear(n_mels, d)
        self.blocks = nn.ModuleList(ConformerBlock(d) for _ in range(n_blocks))
        self.cls = nn.Linear(d, n_keywords)

    def forward(self, mels, lengths):
        x = self.inp(mels)
        frame_mask = make_frame_mask(lengths, x.size(1))
        for blk in self.blocks:
            x = blk(x, frame_mask)  # expect: ML101
        x = x * frame_mask.unsqueeze(-1)
        return self.cls(x.sum(1) / lengths.unsqueeze(-1))
