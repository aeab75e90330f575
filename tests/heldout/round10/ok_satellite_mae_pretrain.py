"""Masked-autoencoder pre-training on multispectral satellite tiles (MAE: encoder sees only visible patches)."""
import torch
import torch.nn as nn


class MaskedAutoencoder(nn.Module):
    def __init__(self, img=32, patch=4, bands=6, d=64, heads=4, enc_depth=2, dec_d=32, dec_depth=1, mask_ratio=0.75):
        super().__init__()
        self.patch, self.bands, self.mask_ratio = patch, bands, mask_ratio
        self.n = (img // patch) ** 2
        self.embed = nn.Linear(patch * patch * bands, d)
        self.pos = nn.Parameter(torch.randn(1, self.n, d) * 0.02)
        self.cls = nn.Parameter(torch.zeros(1, 1, d))
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 4 * d, 0.0, activation="gelu", batch_first=True, norm_first=True),
            enc_depth, enable_nested_tensor=False)
        self.enc_to_dec = nn.Linear(d, dec_d)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, dec_d))
        self.dec_pos = nn.Parameter(torch.randn(1, self.n + 1, dec_d) * 0.02)
        self.decoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(dec_d, 2, 4 * dec_d, 0.0, activation="gelu", batch_first=True, norm_first=True),
            dec_depth, enable_nested_tensor=False)
        self.pred = nn.Linear(dec_d, patch * patch * bands)

    def patchify(self, x):
        B, C, H, W = x.shape
        p = self.patch
        x = x.reshape(B, C, H // p, p, W // p, p).permute(0, 2, 4, 3, 5, 1)
        return x.reshape(B, (H // p) * (W // p), p * p * C)

    def random_masking(self, x):
        B, N, D = x.shape
        keep = int(N * (1 - self.mask_ratio))
        noise = torch.rand(B, N, device=x.device)
        ids_shuffle = noise.argsort(dim=1)
        ids_restore = ids_shuffle.argsort(dim=1)
        ids_keep = ids_shuffle[:, :keep]
        visible = torch.gather(x, 1, ids_keep[..., None].expand(-1, -1, D))
        hidden = torch.ones(B, N, device=x.device)
        hidden[:, :keep] = 0
        return visible, torch.gather(hidden, 1, ids_restore), ids_restore

    def forward(self, imgs):
        target = self.patchify(imgs)
        x = self.embed(target) + self.pos
        x, hidden, ids_restore = self.random_masking(x)
        x = torch.cat([self.cls.expand(x.size(0), -1, -1), x], dim=1)
        latent = self.encoder(x)
        y = self.enc_to_dec(latent)
        n_fill = ids_restore.size(1) + 1 - y.size(1)
        y_ = torch.cat([y[:, 1:], self.mask_token.expand(y.size(0), n_fill, -1)], dim=1)
        y_ = torch.gather(y_, 1, ids_restore[..., None].expand(-1, -1, y.size(-1)))
        y = torch.cat([y[:, :1], y_], dim=1) + self.dec_pos
        pred = self.pred(self.decoder(y))[:, 1:]
        per_patch = (pred - target).pow(2).mean(-1)
        return (per_patch * hidden).sum() / hidden.sum(), pred, hidden


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MaskedAutoencoder()
    tiles = torch.randn(4, 6, 32, 32)
    loss, pred, hidden = model(tiles)
    loss.backward()
    print(loss.item(), pred.shape, hidden.mean().item())
