"""Decoder-only patch forecaster (TimesFM/Lag-Llama flavour, heavily simplified).

A series is cut into non-overlapping patches; each patch token predicts the next patch. Long
horizons are produced by feeding predictions back in.
"""
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn import functional as F


@dataclass
class ForecasterConfig:
    patch_len: int = 8
    d_model: int = 64
    n_heads: int = 4
    n_layers: int = 2
    dropout: float = 0.0
    max_patches: int = 64
    quantiles: list = field(default_factory=lambda: [0.1, 0.5, 0.9])


class PatchAttention(nn.Module):
    def __init__(self, cfg: ForecasterConfig):
        super().__init__()
        self.h = cfg.n_heads
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.o = nn.Linear(cfg.d_model, cfg.d_model)
        self.p = cfg.dropout

    def forward(self, x):
        B, N, D = x.shape
        q, k, v = self.qkv(x).reshape(B, N, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.p if self.training else 0.0)  # expect: ML401
        return self.o(y.transpose(1, 2).reshape(B, N, D))


class PatchDecoder(nn.Module):
    def __init__(self, cfg: ForecasterConfig):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Sequential(nn.Linear(2 * cfg.patch_len, cfg.d_model), nn.SiLU(), nn.Linear(cfg.d_model, cfg.d_model))
        self.pos = nn.Parameter(torch.zeros(cfg.max_patches, cfg.d_model))
        self.attn = nn.ModuleList(PatchAttention(cfg) for _ in range(cfg.n_layers))
        self.mlp = nn.ModuleList(
            nn.Sequential(nn.LayerNorm(cfg.d_model), nn.Linear(cfg.d_model, 2 * cfg.d_model), nn.GELU(), nn.Linear(2 * cfg.d_model, cfg.d_model))
            for _ in range(cfg.n_layers)
        )
        self.ln = nn.ModuleList(nn.LayerNorm(cfg.d_model) for _ in range(cfg.n_layers))
        self.head = nn.Linear(cfg.d_model, cfg.patch_len * len(cfg.quantiles))

    def forward(self, series, observed):
        P = self.cfg.patch_len
        B, T = series.shape
        # scale from the first patch only, so that statistics never come from later patches
        s0, o0 = series[:, :P], observed[:, :P]
        mu = (s0 * o0).sum(1, keepdim=True) / o0.sum(1, keepdim=True).clamp(min=1)
        sd = (((s0 - mu) * o0) ** 2).sum(1, keepdim=True).div(o0.sum(1, keepdim=True).clamp(min=1)).sqrt() + 1e-5
        z = ((series - mu) / sd) * observed
        tokens = torch.cat([z.view(B, T // P, P), observed.view(B, T // P, P)], -1)
        h = self.embed(tokens) + self.pos[: T // P]
        for attn, mlp, ln in zip(self.attn, self.mlp, self.ln):
            h = h + attn(ln(h))
            h = h + mlp(h)
        q = self.head(h).view(B, T // P, P, len(self.cfg.quantiles))
        return q * sd[..., None, None] + mu[..., None, None]

    def loss(self, series, observed):
        P = self.cfg.patch_len
        pred = self(series, observed)[:, :-1]
        target = series.view(series.size(0), -1, P)[:, 1:]
        w = observed.view_as(series).view(series.size(0), -1, P)[:, 1:]
        qs = torch.tensor(self.cfg.quantiles)
        err = target[..., None] - pred
        pinball = torch.maximum(qs * err, (qs - 1) * err)
        return (pinball.mean(-1) * w).sum() / w.sum()

    @torch.no_grad()
    def forecast(self, context, horizon_patches=2):
        series, obs = context, torch.ones_like(context)
        for _ in range(horizon_patches):
            nxt = self(series, obs)[:, -1, :, 1]  # median of the last token's next patch
            series = torch.cat([series, nxt], 1)
            obs = torch.cat([obs, torch.ones_like(nxt)], 1)
        return series[:, context.size(1):]


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PatchDecoder(ForecasterConfig())
    t = torch.arange(64, dtype=torch.float32)
    series = torch.stack([torch.sin(t / 5), torch.cos(t / 7) + 0.1 * torch.randn(64)])
    obs = torch.ones_like(series)
    print("pinball", model.loss(series, obs).item())
    print("forecast", model.eval().forecast(series, 2).shape)
