"""Photometric-redshift regression from 1-D galaxy spectra (bool padding flags)."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset


class SpectraDataset(Dataset):
    def __init__(self, fluxes, ivars, redshifts, patch=16, max_patches=48):
        self.fluxes, self.ivars, self.z = fluxes, ivars, redshifts
        self.patch, self.max_patches = patch, max_patches

    def __len__(self):
        return len(self.fluxes)

    def __getitem__(self, i):
        flux, ivar = np.asarray(self.fluxes[i]), np.asarray(self.ivars[i])
        good = np.isfinite(flux) & (ivar > 0)
        flux = np.where(good, flux * np.sqrt(np.where(good, ivar, 0.0)), 0.0)
        n = min(len(flux) // self.patch, self.max_patches)
        patches = np.zeros((self.max_patches, self.patch), dtype=np.float32)
        patches[:n] = flux[: n * self.patch].reshape(n, self.patch)
        is_pad = np.ones(self.max_patches, dtype=bool)
        is_pad[:n] = False
        return torch.from_numpy(patches), torch.from_numpy(is_pad), torch.tensor(self.z[i])


class SpectrumEncoder(nn.Module):
    def __init__(self, patch=16, dim=64, heads=4, depth=2, max_patches=48):
        super().__init__()
        self.embed = nn.Linear(patch, dim)
        self.pos = nn.Parameter(torch.randn(max_patches, dim) * 0.02)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.head = nn.Sequential(nn.Linear(dim, dim), nn.GELU(), nn.Linear(dim, 1))

    def forward(self, patches, is_pad):
        x = self.embed(patches) + self.pos[: patches.size(1)]
        x = self.encoder(x, src_key_padding_mask=is_pad)
        keep = (~is_pad).unsqueeze(-1).to(x.dtype)
        pooled = (x * keep).sum(1) / keep.sum(1).clamp(min=1.0)
        return self.head(pooled).squeeze(-1)
