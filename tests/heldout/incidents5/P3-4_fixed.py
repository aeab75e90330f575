"""Learned-bias attention regressor trained through a Lightning-style module."""
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F


class LightningModule(nn.Module):
    def __init__(self):
        super().__init__()
        self.hparams = SimpleNamespace()

    def save_hyperparameters(self, **kw):
        self.hparams.__dict__.update(kw)

    def log(self, *a, **k):
        pass


class BiasedAttentionRegressor(LightningModule):
    def __init__(self, dim=16, num_heads=2, seq_len=5, lr=1e-3):
        super().__init__()
        self.save_hyperparameters(dim=dim, num_heads=num_heads, seq_len=seq_len, lr=lr)
        self.attn = nn.MultiheadAttention(dim, num_heads, batch_first=True)
        self.pair_bias = nn.Linear(1, 1)
        self.out = nn.Linear(dim, 1)

    def attention_bias(self, dist):
        # dist: (N, L, L) pairwise distances -> per-sample additive bias
        bias = self.pair_bias(dist.unsqueeze(-1)).squeeze(-1)
        return bias.repeat_interleave(self.hparams.num_heads, dim=0)

    def forward(self, x, dist, padding_mask):
        bias = self.attention_bias(dist)
        # same dtype for both masks: turn the padding mask into an additive one too
        kpm = torch.zeros_like(padding_mask, dtype=bias.dtype).masked_fill(padding_mask, float("-inf"))
        h, _ = self.attn(x, x, x, attn_mask=bias, key_padding_mask=kpm)
        keep = (~padding_mask).unsqueeze(-1).float()
        return self.out((h * keep).sum(1) / keep.sum(1)).squeeze(-1)

    def collate_fn(self, items):
        L = self.hparams.seq_len
        n = len(items)
        x = torch.zeros(n, L, self.hparams.dim)
        dist = torch.zeros(n, L, L)
        pad = torch.ones(n, L, dtype=torch.bool)
        for i, (xi, di) in enumerate(items):
            k = xi.shape[0]
            x[i, :k], dist[i, :k, :k], pad[i, :k] = xi, di, False
        return {"x": x, "dist": dist, "padding_mask": pad, "y": torch.randn(n)}

    def training_step(self, batch, batch_idx):
        pred = self(batch["x"], batch["dist"], batch["padding_mask"])
        loss = F.mse_loss(pred, batch["y"])
        self.log("train_loss", loss)
        return loss

    @torch.no_grad()
    def validation_step(self, batch, batch_idx):
        return self(batch["x"], batch["dist"], batch["padding_mask"])


if __name__ == "__main__":
    torch.manual_seed(0)
    m = BiasedAttentionRegressor()
    pts = [torch.randn(k, 16) for k in (3, 5, 4)]
    batch = m.collate_fn([(p, torch.cdist(p, p)) for p in pts])
    m.train()
    print("train loss:", m.training_step(batch, 0).item())
    m.eval()
    full = m.validation_step(batch, 0)
    solo = m.validation_step(m.collate_fn([(pts[1], torch.cdist(pts[1], pts[1]))]), 0)
    print("batch independent:", torch.allclose(full[1], solo[0], atol=1e-5))
