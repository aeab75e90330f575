"""Time-series transformer backbone with configurable causal attention."""
from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn


@dataclass
class TSTConfig:
    c_in: int = 3
    seq_len: int = 24
    d_model: int = 32
    n_heads: int = 4
    n_layers: int = 2
    causal: bool = True
    res_dropout: float = 0.0


class ScaledDotProductAttention(nn.Module):
    def __init__(self, d_k: int):
        super().__init__()
        self.d_k = d_k

    def forward(self, q, k, v, attn_mask: Optional[torch.Tensor] = None):
        scores = torch.matmul(q, k) / self.d_k ** 0.5
        if attn_mask is not None:
            if attn_mask.dtype == torch.bool:
                scores.masked_fill_(attn_mask, -1e9)
            else:
                scores += attn_mask  # BUG
        attn = scores.softmax(dim=-1)
        return torch.matmul(attn, v), attn


class MultiHeadAttention(nn.Module):
    def __init__(self, cfg: TSTConfig):
        super().__init__()
        self.h, self.dk = cfg.n_heads, cfg.d_model // cfg.n_heads
        self.W_Q = nn.Linear(cfg.d_model, cfg.d_model, bias=False)
        self.W_K = nn.Linear(cfg.d_model, cfg.d_model, bias=False)
        self.W_V = nn.Linear(cfg.d_model, cfg.d_model, bias=False)
        self.W_O = nn.Linear(cfg.d_model, cfg.d_model, bias=False)
        self.sdp = ScaledDotProductAttention(self.dk)

    def forward(self, x, attn_mask=None):
        bs, L, _ = x.shape
        q = self.W_Q(x).view(bs, L, self.h, self.dk).transpose(1, 2)
        k = self.W_K(x).view(bs, L, self.h, self.dk).permute(0, 2, 3, 1)
        v = self.W_V(x).view(bs, L, self.h, self.dk).transpose(1, 2)
        out, attn = self.sdp(q, k, v, attn_mask)
        return self.W_O(out.transpose(1, 2).reshape(bs, L, -1)), attn


class TST(nn.Module):
    def __init__(self, cfg: TSTConfig, c_out: int = 1):
        super().__init__()
        self.cfg = cfg
        self.inp = nn.Linear(cfg.c_in, cfg.d_model)
        self.layers = nn.ModuleList(MultiHeadAttention(cfg) for _ in range(cfg.n_layers))
        self.norms = nn.ModuleList(nn.LayerNorm(cfg.d_model) for _ in range(cfg.n_layers))
        self.head = nn.Linear(cfg.d_model, c_out)
        if cfg.causal:
            mask = torch.triu(torch.ones(cfg.seq_len, cfg.seq_len), diagonal=1)  # BUG
            self.register_buffer("attn_mask", mask)
        else:
            self.attn_mask = None

    def forward(self, x):
        h = self.inp(x)
        for attn, norm in zip(self.layers, self.norms):
            a, _ = attn(h, self.attn_mask)
            h = norm(h + a)
        return self.head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = TSTConfig()
    model = TST(cfg).eval()
    x = torch.randn(2, cfg.seq_len, cfg.c_in)
    x2 = x.clone()
    x2[:, 12:] = torch.randn(2, 12, cfg.c_in)
    with torch.no_grad():
        print("causal:", torch.allclose(model(x)[:, :12], model(x2)[:, :12], atol=1e-5))
