"""Proof-readiness forecaster for a bakery's retarder-proofer cabinets.

Dough volume (from a ToF sensor over the tray), cabinet temperature and humidity
are sampled every 5 minutes; the model predicts volume at the next sample so
the oven schedule can be pulled forward or pushed back.
"""
from typing import List, Tuple

import torch
from torch import nn


@torch.jit.script
def causal_bias(n: int, device: torch.device) -> torch.Tensor:
    # 0 on and below the diagonal, -inf above it
    return torch.triu(torch.full((n, n), float("-inf"), device=device), diagonal=1)


@torch.jit.script
def cabinet_features(temp_c: torch.Tensor, rh: torch.Tensor) -> torch.Tensor:
    return torch.stack([(temp_c - 26.0) / 4.0, (rh - 80.0) / 10.0], dim=-1)


class ProofBlock(nn.Module):
    def __init__(self, d: int, h: int):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.ln1 = nn.LayerNorm(d)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.SiLU(), nn.Linear(2 * d, d))

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        y = self.ln1(x)
        y, w = self.attn(y, y, y, attn_mask=bias)
        x = x + y
        return x + self.mlp(self.ln2(x)), w


class ProofForecaster(nn.Module):
    def __init__(self, d: int = 32, h: int = 4, depth: int = 2):
        super().__init__()
        self.volume = nn.Linear(1, d)
        self.cabinet = nn.Linear(2, d)
        self.blocks = nn.ModuleList([ProofBlock(d, h) for _ in range(depth)])
        self.head = nn.Linear(d, 1)

    def forward(self, volume: torch.Tensor, temp_c: torch.Tensor, rh: torch.Tensor):
        x = self.volume(volume.unsqueeze(-1)) + self.cabinet(cabinet_features(temp_c, rh))
        bias = causal_bias(x.size(1), x.device)
        maps: List[torch.Tensor] = []
        for blk in self.blocks:
            x, w = blk(x, bias)
            maps.append(w)
        return self.head(x).squeeze(-1), maps


if __name__ == "__main__":
    torch.manual_seed(0)
    B, T = 2, 48
    vol = torch.cumsum(torch.rand(B, T) * 0.02, dim=1) + 1.0
    model = ProofForecaster()
    pred, maps = model(vol, 26 + torch.randn(B, T), 80 + torch.randn(B, T))
    loss = nn.functional.mse_loss(pred[:, :-1], vol[:, 1:])
    loss.backward()
    print(float(loss), torch.isfinite(pred).all().item())
