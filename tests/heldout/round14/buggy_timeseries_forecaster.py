"""Decoder-only patch forecaster for multivariate sensor series (TimesFM-like, tiny).

The series is cut into non-overlapping patches; each patch token predicts the next patch.
Hyper-parameters come from a YAML-style nested config accessed with attribute syntax."""
from __future__ import annotations

from typing import Any, Mapping

import torch
import torch.nn.functional as F
from torch import nn

RAW_CONFIG = {
    "data": {"patch_len": 8, "context_patches": 12, "channels": 3},
    "model": {"d_model": 64, "n_heads": 4, "n_layers": 2, "dropout": 0.1},
    "optim": {"lr": 1e-3},
}


class AttrConfig(dict):
    """Minimal stand-in for an OmegaConf DictConfig (attribute access, nested)."""

    def __init__(self, raw: Mapping[str, Any]):
        super().__init__({k: AttrConfig(v) if isinstance(v, Mapping) else v for k, v in raw.items()})

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError as e:
            raise AttributeError(key) from e


class RevIN(nn.Module):
    def forward(self, x: torch.Tensor):
        mu, sigma = x.mean(1, keepdim=True), x.std(1, keepdim=True) + 1e-5
        return (x - mu) / sigma, (mu, sigma)


class PatchDecoderLayer(nn.Module):
    def __init__(self, cfg: AttrConfig):
        super().__init__()
        d, self.h = cfg.model.d_model, cfg.model.n_heads
        self.p = cfg.model.dropout
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Dropout(self.p), nn.Linear(4 * d, d))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, n, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(b, n, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        attn_mask = torch.tril(torch.ones(n, n, device=x.device))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=self.p if self.training else 0.0)  # expect: ML202
        x = x + self.o(y.transpose(1, 2).reshape(b, n, d))
        return x + self.ff(self.norm2(x))


class PatchForecaster(nn.Module):
    def __init__(self, cfg: AttrConfig):
        super().__init__()
        self.cfg = cfg
        p, c, d = cfg.data.patch_len, cfg.data.channels, cfg.model.d_model
        self.revin = RevIN()
        self.patch_in = nn.Linear(p * c, d)
        self.pos = nn.Parameter(torch.randn(cfg.data.context_patches, d) * 0.02)
        self.layers = nn.ModuleList(PatchDecoderLayer(cfg) for _ in range(cfg.model.n_layers))
        self.patch_out = nn.Linear(d, p * c)

    def forward(self, series: torch.Tensor) -> torch.Tensor:
        """series: (B, T, C) with T a multiple of patch_len -> next-patch prediction per patch."""
        b, t, c = series.shape
        p = self.cfg.data.patch_len
        x, (mu, sigma) = self.revin(series)
        tokens = self.patch_in(x.reshape(b, t // p, p * c)) + self.pos[: t // p]
        for layer in self.layers:
            tokens = layer(tokens)
        pred = self.patch_out(tokens).reshape(b, t // p, p, c)
        return pred * sigma[:, None] + mu[:, None]


def next_patch_loss(model: PatchForecaster, series: torch.Tensor) -> torch.Tensor:
    p = model.cfg.data.patch_len
    pred = model(series[:, :-p])
    target = series[:, p:].reshape(pred.shape)
    return F.mse_loss(pred, target)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = AttrConfig(RAW_CONFIG)
    model = PatchForecaster(cfg)
    t = torch.arange(cfg.data.patch_len * (cfg.data.context_patches + 1)).float()
    series = torch.stack([torch.sin(t / 7), torch.cos(t / 11), torch.sin(t / 3) * 0.5], -1)[None].repeat(4, 1, 1)
    series = series + 0.05 * torch.randn_like(series)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.optim.lr)
    loss = next_patch_loss(model, series)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("next-patch mse", round(loss.item(), 4))
