import torch
import torch.nn as nn

from .masks import sequence_mask, subsample_lengths


class SpeechEncoder(nn.Module):
    def __init__(self, idim=80, adim=64, aheads=4, elayers=2, odim=40):
        super().__init__()
        self.embed = nn.Sequential(nn.Conv1d(idim, adim, 5, stride=2, padding=2), nn.GELU(),
                                   nn.Conv1d(adim, adim, 5, stride=2, padding=2), nn.GELU())
        self.layers = nn.ModuleList(nn.MultiheadAttention(adim, aheads, batch_first=True) for _ in range(elayers))
        self.norms = nn.ModuleList(nn.LayerNorm(adim) for _ in range(elayers))
        self.ffn = nn.ModuleList(nn.Sequential(nn.Linear(adim, 2 * adim), nn.ReLU(), nn.Linear(2 * adim, adim))
                                 for _ in range(elayers))
        self.ctc_lo = nn.Linear(adim, odim)

    def forward(self, xs_pad, ilens):
        xs = self.embed(xs_pad.transpose(1, 2)).transpose(1, 2)
        olens = subsample_lengths(ilens)
        masks = sequence_mask(olens, xs.size(1))
        for attn, norm, ffn in zip(self.layers, self.norms, self.ffn):
            h = norm(xs)
            xs = xs + attn(h, h, h, key_padding_mask=masks, need_weights=False)[0]  # expect: ML101
            xs = xs + ffn(xs)
        return self.ctc_lo(xs).log_softmax(-1), olens
