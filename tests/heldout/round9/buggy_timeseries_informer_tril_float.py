"""Informer-style decoder for multi-horizon load forecasting (generative-style decoder input)."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ForecastCfg:
    n_vars: int = 3
    d_model: int = 32
    n_heads: int = 4
    label_len: int = 8
    pred_len: int = 8


class MaskedSelfAttn(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h = cfg.n_heads
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.out = nn.Linear(cfg.d_model, cfg.d_model)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        step_mask = torch.tril(torch.ones(T, T, device=x.device))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=step_mask)  # expect: ML202
        return self.out(y.transpose(1, 2).reshape(B, T, D))


class InformerDecoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embed = nn.Linear(cfg.n_vars, cfg.d_model)
        self.self_attn = MaskedSelfAttn(cfg)
        self.proj = nn.Linear(cfg.d_model, cfg.n_vars)

    def forward(self, dec_inp):
        h = self.embed(dec_inp)
        return self.proj(h + self.self_attn(h))


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = ForecastCfg()
    dec = InformerDecoder(cfg)
    x = torch.randn(2, cfg.label_len + cfg.pred_len, cfg.n_vars)
    y1 = dec(x)
    x2 = x.clone()
    x2[:, -1] += 3.0
    y2 = dec(x2)
    print("FAILURE SHOWN: step 0 sees the last step, diff =",
          f"{(y1[:, 0] - y2[:, 0]).abs().max().item():.3g}")
