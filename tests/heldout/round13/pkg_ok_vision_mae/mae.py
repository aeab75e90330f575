import torch
import torch.nn as nn

from .encoder import VisibleEncoder
from .patching import random_visible


class HistoMAE(nn.Module):
    def __init__(self, img=96, patch=8, dim=192, dec_dim=96):
        super().__init__()
        self.patch = patch
        self.n = (img // patch) ** 2
        self.embed = nn.Linear(3 * patch * patch, dim)
        self.pos = nn.Parameter(torch.randn(1, self.n, dim) * 0.02)
        self.encoder = VisibleEncoder(dim)
        self.to_dec = nn.Linear(dim, dec_dim)
        self.mask_token = nn.Parameter(torch.zeros(dec_dim))
        self.dec_pos = nn.Parameter(torch.randn(1, self.n, dec_dim) * 0.02)
        self.decoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(dec_dim, 4, 2 * dec_dim, 0.0, batch_first=True), 2, enable_nested_tensor=False)
        self.pixels = nn.Linear(dec_dim, 3 * patch * patch)

    def patchify(self, imgs):
        p = self.patch
        x = imgs.unfold(2, p, p).unfold(3, p, p)              # N, 3, h, w, p, p
        return x.permute(0, 2, 3, 1, 4, 5).flatten(3).flatten(1, 2)

    def forward(self, imgs, keep_ratio=0.25):
        patches = self.patchify(imgs)
        N = patches.size(0)
        idx, real = random_visible(N, self.n, keep_ratio)
        vis = torch.gather(self.embed(patches) + self.pos, 1, idx[..., None].expand(-1, -1, self.pos.size(-1)))
        latent = self.to_dec(self.encoder(vis, real))
        full = self.mask_token.expand(N, self.n, -1).clone()
        rows = torch.arange(N)[:, None].expand_as(idx)
        full[rows[real], idx[real]] = latent[real]
        recon = self.pixels(self.decoder(full + self.dec_pos))
        hidden = torch.ones(N, self.n, dtype=torch.bool)
        hidden[rows[real], idx[real]] = False
        return ((recon - patches) ** 2).mean(-1)[hidden].mean()
