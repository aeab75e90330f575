"""Masked sensor modelling for multichannel accelerometer patches (MAE-style pretraining)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def random_visible(batch, n_patches, keep_ratio, generator=None, device=None):
    n_keep = max(1, int(n_patches * keep_ratio))
    noise = torch.rand(batch, n_patches, generator=generator, device=device)
    keep_idx = noise.argsort(dim=1)[:, :n_keep]
    visible = torch.zeros(batch, n_patches, dtype=torch.bool, device=device)
    visible.scatter_(1, keep_idx, True)
    return visible


class SensorMAE(nn.Module):
    def __init__(self, patch=16, channels=3, d=32, heads=4):
        super().__init__()
        self.patch = patch
        self.embed = nn.Linear(patch * channels, d)
        self.mask_token = nn.Parameter(torch.zeros(d))
        self.pos = nn.Parameter(torch.randn(64, d) * 0.02)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm = nn.LayerNorm(d)
        self.decoder = nn.Linear(d, patch * channels)

    def patchify(self, signal):
        B, C, T = signal.shape
        return signal.unfold(2, self.patch, self.patch).permute(0, 2, 1, 3).reshape(B, T // self.patch, C * self.patch)

    def forward(self, signal, visible):
        patches = self.patchify(signal)
        N = patches.size(1)
        x = self.embed(patches)
        x = torch.where(visible[..., None], x, self.mask_token.expand_as(x)) + self.pos[:N]
        h, _ = self.attn(x, x, x, key_padding_mask=visible)  # BUG: visible (scatter_ True on kept patches) used as key_padding_mask: only hidden patches are attended
        h = self.norm(x + h)
        recon = self.decoder(h)
        return F.mse_loss(recon[~visible], patches[~visible])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SensorMAE()
    signal = torch.randn(2, 3, 16 * 8)
    g = torch.Generator().manual_seed(1)
    visible = random_visible(2, 8, 0.25, generator=g)
    print("recon", round(model(signal, visible).item(), 5))
