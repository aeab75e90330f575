"""Forecasting encoder with a registry of attention implementations; each backend converts
the shared keep mask (True = observed step) into its own convention."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


def sdpa_backend(q, k, v, keep, mha=None):
    B, H, L, dh = q.shape
    y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None, None, :])
    return y.transpose(1, 2).reshape(B, L, H * dh)


def torch_mha_backend(q, k, v, keep, mha=None):
    B, H, L, dh = q.shape
    x = q.transpose(1, 2).reshape(B, L, H * dh)
    out, _ = mha(x, x, x, key_padding_mask=~keep, need_weights=False)
    return out


ATTN_IMPLS = {"sdpa": sdpa_backend, "torch_mha": torch_mha_backend}


@dataclass
class Cfg:
    d: int = 16
    heads: int = 2
    impl: str = "sdpa"


class Encoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.inp = nn.Linear(1, cfg.d)
        self.mha = nn.MultiheadAttention(cfg.d, cfg.heads, batch_first=True, bias=False)
        with torch.no_grad():   # identity projections so both backends compute the same thing
            self.mha.in_proj_weight.copy_(torch.eye(cfg.d).repeat(3, 1))
            self.mha.out_proj.weight.copy_(torch.eye(cfg.d))

    def forward(self, series, keep):
        x = self.inp(series[..., None])
        B, L, D = x.shape
        q = x.view(B, L, self.cfg.heads, D // self.cfg.heads).transpose(1, 2)
        return ATTN_IMPLS[self.cfg.impl](q, q, q, keep, mha=self.mha)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = Cfg()
    enc = Encoder(cfg)
    series = torch.randn(2, 9)
    keep = torch.ones(2, 9, dtype=torch.bool)
    keep[0, 6:] = False
    with torch.no_grad():
        a = enc(series, keep)
        cfg.impl = "torch_mha"
        b = enc(series, keep)
        s2 = series.clone()
        s2[0, 6:] = 50.0
        c = enc(s2, keep)
    assert torch.allclose(a, b, atol=1e-5), "backends disagree"
    assert torch.allclose(a[0, :6], c[0, :6], atol=1e-5), "padding leaked"
    print("OK: both registry backends agree and ignore unobserved steps")
