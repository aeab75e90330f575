from dataclasses import dataclass

import torch
from torch import nn

from .frontend import Conv1dSubsampler
from .mask import lengths_to_padding_mask


@dataclass
class EncoderConf:
    n_mels: int = 80
    dim: int = 64
    heads: int = 4
    blocks: int = 2
    kernel: int = 15
    vocab: int = 40


class ConformerLayer(nn.Module):
    def __init__(self, c: EncoderConf):
        super().__init__()
        mk_ff = lambda: nn.Sequential(nn.LayerNorm(c.dim), nn.Linear(c.dim, 4 * c.dim), nn.SiLU(),  # noqa: E731
                                      nn.Linear(4 * c.dim, c.dim))
        self.ff1, self.ff2 = mk_ff(), mk_ff()
        self.attn_norm = nn.LayerNorm(c.dim)
        self.attn = nn.MultiheadAttention(c.dim, c.heads, batch_first=True)
        self.conv_norm = nn.LayerNorm(c.dim)
        self.depthwise = nn.Conv1d(c.dim, c.dim, c.kernel, padding=c.kernel // 2, groups=c.dim)
        self.out_norm = nn.LayerNorm(c.dim)

    def forward(self, x: torch.Tensor, padding_mask: torch.Tensor) -> torch.Tensor:
        x = x + 0.5 * self.ff1(x)
        y = self.attn_norm(x)
        x = x + self.attn(y, y, y, key_padding_mask=padding_mask, need_weights=False)[0]
        y = self.conv_norm(x).masked_fill(padding_mask[..., None], 0.0)
        x = x + nn.functional.silu(self.depthwise(y.transpose(1, 2))).transpose(1, 2)
        x = x + 0.5 * self.ff2(x)
        return self.out_norm(x)


class ConformerEncoder(nn.Module):
    def __init__(self, c: EncoderConf = EncoderConf()):
        super().__init__()
        self.subsample = Conv1dSubsampler(c.n_mels, 2 * c.dim, c.dim)
        self.layers = nn.ModuleList(ConformerLayer(c) for _ in range(c.blocks))
        self.ctc = nn.Linear(c.dim, c.vocab)

    def forward(self, feats: torch.Tensor, feat_lengths: torch.Tensor):
        x, lengths = self.subsample(feats, feat_lengths)
        padding_mask = lengths_to_padding_mask(lengths, x.size(1))
        for layer in self.layers:
            x = layer(x, padding_mask)
        return self.ctc(x).log_softmax(-1), lengths
