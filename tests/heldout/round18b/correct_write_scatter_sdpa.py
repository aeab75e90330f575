"""Satellite-tile masked autoencoder: the encoder only attends to kept patches."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TileEncoder(nn.Module):
    def __init__(self, patch_dim=48, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.embed = nn.Linear(patch_dim, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.mask_token = nn.Parameter(torch.zeros(d))
        self.recon = nn.Linear(d, patch_dim)

    def forward(self, patches, keep_ratio=0.3, generator=None):
        B, N, _ = patches.shape
        n_keep = max(1, int(N * keep_ratio))
        order = torch.rand(B, N, generator=generator).argsort(1)
        visible = torch.zeros(B, N, dtype=torch.bool)
        visible.scatter_(1, order[:, :n_keep], True)
        x = torch.where(visible[..., None], self.embed(patches), self.mask_token)
        q, k, v = self.qkv(x).view(B, N, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=visible[:, None, None, :])
        x = x + self.proj(y.transpose(1, 2).reshape(B, N, -1))
        pred = self.recon(x)
        return F.mse_loss(pred[~visible], patches[~visible])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TileEncoder()
    tiles = torch.randn(2, 16, 48)
    print("loss", round(model(tiles, generator=torch.Generator().manual_seed(3)).item(), 5))
