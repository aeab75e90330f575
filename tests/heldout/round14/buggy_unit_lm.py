"""Generative spoken language model over discrete speech units (GSLM-style unit LM).

HuBERT units are deduplicated, and a causal Transformer predicts the next unit. Masks are
kept in a growing buffer so that long prompts do not reallocate every step."""
from __future__ import annotations

from typing import List

import torch
import torch.nn.functional as F
from torch import nn


def dedup_units(units: List[int]) -> List[int]:
    out = units[:1]
    for u in units[1:]:
        if u != out[-1]:
            out.append(u)
    return out


class UnitLM(nn.Module):
    def __init__(self, n_units: int = 100, d_model: int = 64, nhead: int = 4, layers: int = 3, max_len: int = 512):
        super().__init__()
        self.bos = n_units
        self.embed = nn.Embedding(n_units + 1, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, 0.1, batch_first=True, norm_first=True)
        self.body = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d_model)
        self.out = nn.Linear(d_model, n_units)
        self.register_buffer("_future", torch.empty(0, 0, dtype=torch.bool), persistent=False)

    def _future_mask(self, size: int) -> torch.Tensor:
        if self._future.size(0) < size:
            self._future = torch.triu(torch.ones(size, size, dtype=torch.bool, device=self._future.device), 1)
        return self._future[:size, :size]

    def forward(self, units: torch.Tensor) -> torch.Tensor:
        steps = torch.arange(units.size(1), device=units.device)
        x = self.embed(units) + self.pos(steps)
        future = self._future_mask(units.size(0))
        h = self.body(x, mask=future)  # expect: ML303
        return self.out(self.norm(h))

    def nll(self, units: torch.Tensor) -> torch.Tensor:
        inp = torch.cat([torch.full_like(units[:, :1], self.bos), units[:, :-1]], dim=1)
        return F.cross_entropy(self(inp).transpose(1, 2), units)

    @torch.no_grad()
    def continue_units(self, prompt: torch.Tensor, n: int, temperature: float = 0.8) -> torch.Tensor:
        seq = torch.cat([torch.full_like(prompt[:, :1], self.bos), prompt], dim=1)
        for _ in range(n):
            probs = (self(seq)[:, -1] / temperature).softmax(-1)
            seq = torch.cat([seq, torch.multinomial(probs, 1)], dim=1)
        return seq[:, 1 + prompt.size(1):]


if __name__ == "__main__":
    torch.manual_seed(0)
    raw = [torch.randint(0, 100, (80,)).repeat_interleave(2).tolist() for _ in range(4)]
    units = torch.tensor([dedup_units(r)[:40] for r in raw])
    lm = UnitLM()
    opt = torch.optim.Adam(lm.parameters(), lr=5e-4)
    try:
        loss = lm.nll(units)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print("unit nll", round(loss.item(), 4))
        print("continuation", lm.eval().continue_units(units[:2, :10], 5).tolist())
    except RuntimeError as err:
        print("training step failed:", err)
