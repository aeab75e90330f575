"""Sequence model for annual glacier mass balance (m w.e.) from stake and climate records."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


def build_time_bias(years: int, device: Optional[torch.device] = None) -> torch.Tensor:
    seen = torch.tril(torch.ones(years, years, dtype=torch.bool, device=device))
    return torch.zeros(years, years, device=device).masked_fill(seen, float("-inf"))  # BUG: puts -inf on the past and the current year (allowed keys) and 0 on future years


class YearAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        self.n_heads = n_heads
        self.in_proj = nn.Linear(d_model, 3 * d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        B, T, D = x.shape
        qkv = self.in_proj(x).reshape(B, T, 3, self.n_heads, D // self.n_heads)
        q, k, v = qkv.unbind(dim=2)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.out_proj(y.transpose(1, 2).reshape(B, T, D))


class MassBalanceNet(nn.Module):
    def __init__(self, n_climate: int = 8, d_model: int = 64, n_heads: int = 4, depth: int = 2):
        super().__init__()
        self.inp = nn.Linear(n_climate + 1, d_model)
        self.blocks = nn.ModuleList()
        for _ in range(depth):
            self.blocks.append(nn.ModuleList([nn.LayerNorm(d_model), YearAttention(d_model, n_heads), nn.LayerNorm(d_model), nn.Linear(d_model, d_model)]))
        self.out = nn.Linear(d_model, 1)

    def forward(self, balance: torch.Tensor, climate: torch.Tensor) -> torch.Tensor:
        x = self.inp(torch.cat([balance.unsqueeze(-1), climate], dim=-1))
        bias = build_time_bias(x.size(1), x.device)
        for n1, att, n2, ff in self.blocks:
            x = x + att(n1(x), bias)
            x = x + torch.tanh(ff(n2(x)))
        return self.out(x).squeeze(-1)


def fit(model, balance, climate, epochs=3):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        pred = model(balance[:, :-1], climate[:, :-1])
        loss = F.huber_loss(pred, balance[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


if __name__ == "__main__":
    bal = torch.randn(5, 40) * 0.7
    clim = torch.randn(5, 40, 8)
    print(fit(MassBalanceNet(), bal, clim))
