import torch
import torch.nn as nn

from .masks import make_non_pad_mask, make_pad_mask


class ConformerLiteEncoder(nn.Module):
    def __init__(self, idim=80, adim=64, heads=4, layers=2, odim=40):
        super().__init__()
        self.embed = nn.Sequential(nn.Conv1d(idim, adim, 3, 2, 1), nn.SiLU())
        self.attn = nn.ModuleList(nn.MultiheadAttention(adim, heads, batch_first=True) for _ in range(layers))
        self.norm = nn.ModuleList(nn.LayerNorm(adim) for _ in range(layers))
        self.out = nn.Linear(adim, odim)

    def forward(self, xs, ilens):
        xs = self.embed(xs.transpose(1, 2)).transpose(1, 2)
        olens = (ilens + 1) // 2
        pad = make_pad_mask(olens, xs.size(1))
        for attn, norm in zip(self.attn, self.norm):
            h = norm(xs)
            xs = xs + attn(h, h, h, key_padding_mask=pad, need_weights=False)[0]
        keep = make_non_pad_mask(olens, xs.size(1)).unsqueeze(-1)
        return self.out(xs) * keep, olens
