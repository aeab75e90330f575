from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from .attention import MultiHeadedSelfAttention
from .nets_utils import make_pad_mask
from .subsampling import Conv2dSubsampling4


@dataclass
class ConformerSettings:
    idim: int = 80
    adim: int = 64
    aheads: int = 4
    eunits: int = 128
    elayers: int = 2
    cnn_kernel: int = 15
    vocab: int = 32
    dropout_rate: float = 0.1


class ConvolutionModule(nn.Module):
    def __init__(self, ch: int, kernel: int):
        super().__init__()
        self.pw1 = nn.Conv1d(ch, 2 * ch, 1)
        self.dw = nn.Conv1d(ch, ch, kernel, padding=kernel // 2, groups=ch)
        self.norm = nn.LayerNorm(ch)
        self.pw2 = nn.Conv1d(ch, ch, 1)

    def forward(self, x: torch.Tensor, pad_mask: torch.Tensor) -> torch.Tensor:
        x = nn.functional.glu(self.pw1(x.transpose(1, 2)), dim=1)
        x = x.masked_fill(pad_mask[:, None, :], 0.0)
        x = self.dw(x).transpose(1, 2)
        return self.pw2(nn.functional.silu(self.norm(x)).transpose(1, 2)).transpose(1, 2)


class ConformerBlock(nn.Module):
    def __init__(self, s: ConformerSettings):
        super().__init__()
        ff = lambda: nn.Sequential(nn.LayerNorm(s.adim), nn.Linear(s.adim, s.eunits), nn.SiLU(),  # noqa: E731
                                   nn.Dropout(s.dropout_rate), nn.Linear(s.eunits, s.adim))
        self.ff1, self.ff2 = ff(), ff()
        self.norm_mha = nn.LayerNorm(s.adim)
        self.mha = MultiHeadedSelfAttention(s.aheads, s.adim, s.dropout_rate)
        self.norm_conv = nn.LayerNorm(s.adim)
        self.conv = ConvolutionModule(s.adim, s.cnn_kernel)
        self.norm_final = nn.LayerNorm(s.adim)

    def forward(self, x: torch.Tensor, pad_mask: torch.Tensor) -> torch.Tensor:
        x = x + 0.5 * self.ff1(x)
        x = x + self.mha(self.norm_mha(x), pad_mask)
        x = x + self.conv(self.norm_conv(x), pad_mask)
        x = x + 0.5 * self.ff2(x)
        return self.norm_final(x)


class ConformerCTC(nn.Module):
    def __init__(self, s: ConformerSettings = ConformerSettings()):
        super().__init__()
        self.embed = Conv2dSubsampling4(s.idim, s.adim)
        self.encoders = nn.ModuleList(ConformerBlock(s) for _ in range(s.elayers))
        self.ctc_lo = nn.Linear(s.adim, s.vocab)

    def forward(self, feats: torch.Tensor, feat_lens: torch.Tensor):
        x, hlens = self.embed(feats, feat_lens)
        pad_mask = make_pad_mask(hlens, x.size(1))
        for layer in self.encoders:
            x = layer(x, pad_mask)
        return self.ctc_lo(x).log_softmax(-1), hlens
