"""Masked-autoencoder style pretraining for images: random patch masking.

The patch mask decides which patches the encoder sees; it is not an attention
mask. The encoder runs on the kept patches only, the decoder on all of them.
"""
import torch
import torch.nn as nn


def random_masking(x, mask_ratio, generator=None):
    N, L, D = x.shape
    len_keep = int(L * (1 - mask_ratio))
    noise = torch.rand(N, L, device=x.device, generator=generator)
    ids_shuffle = noise.argsort(dim=1)
    ids_restore = ids_shuffle.argsort(dim=1)
    ids_keep = ids_shuffle[:, :len_keep]
    x_kept = torch.gather(x, 1, ids_keep.unsqueeze(-1).expand(-1, -1, D))
    mask = torch.ones(N, L, device=x.device)
    mask[:, :len_keep] = 0
    mask = torch.gather(mask, 1, ids_restore)  # 1 = patch removed
    return x_kept, mask, ids_restore


class TinyMAE(nn.Module):
    def __init__(self, img=32, patch=4, dim=64, heads=4, depth=2, mask_ratio=0.75):
        super().__init__()
        self.patch = patch
        self.mask_ratio = mask_ratio
        n = (img // patch) ** 2
        self.embed = nn.Linear(3 * patch * patch, dim)
        self.pos = nn.Parameter(torch.randn(1, n, dim) * 0.02)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(dim, heads, 4 * dim, 0.0, batch_first=True, norm_first=True), depth,
            enable_nested_tensor=False,
        )
        self.mask_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.decoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(dim, heads, 2 * dim, 0.0, batch_first=True, norm_first=True), 1,
            enable_nested_tensor=False,
        )
        self.head = nn.Linear(dim, 3 * patch * patch)

    def patchify(self, imgs):
        p = self.patch
        N, C, H, W = imgs.shape
        x = imgs.reshape(N, C, H // p, p, W // p, p).permute(0, 2, 4, 3, 5, 1)
        return x.reshape(N, (H // p) * (W // p), p * p * C)

    def forward(self, imgs):
        target = self.patchify(imgs)
        x = self.embed(target) + self.pos
        kept, mask, ids_restore = random_masking(x, self.mask_ratio)
        latent = self.encoder(kept)
        N, L = mask.shape
        fill = self.mask_token.expand(N, L - latent.size(1), -1)
        full = torch.cat([latent, fill], dim=1)
        full = torch.gather(full, 1, ids_restore.unsqueeze(-1).expand(-1, -1, full.size(-1)))
        pred = self.head(self.decoder(full + self.pos))
        per_patch = ((pred - target) ** 2).mean(-1)
        loss = (per_patch * mask).sum() / mask.sum()
        return loss, pred, mask


def drop_path(x, p, training):
    if p == 0.0 or not training:
        return x
    keep = torch.rand(x.size(0), *([1] * (x.dim() - 1)), device=x.device) >= p
    return x * keep / (1 - p)
