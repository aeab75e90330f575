"""Next-event model for limit-order-book message streams (add / cancel / execute, side,
price-level bucket). Causal Transformer encoder stack with the explicit mask and the
matching is_causal hint, so the fused kernels may skip the mask."""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

EVENT_TYPES, SIDES, LEVELS = 3, 2, 10


@dataclass
class LOBConfig:
    dim: int = 64
    heads: int = 4
    layers: int = 2
    window: int = 64
    dropout: float = 0.1


def event_id(kind: torch.Tensor, side: torch.Tensor, level: torch.Tensor) -> torch.Tensor:
    return (kind * SIDES + side) * LEVELS + level


class OrderBookLM(nn.Module):
    def __init__(self, cfg: LOBConfig = LOBConfig()):
        super().__init__()
        n_events = EVENT_TYPES * SIDES * LEVELS
        self.event = nn.Embedding(n_events, cfg.dim)
        self.dt = nn.Sequential(nn.Linear(1, cfg.dim), nn.Tanh())
        self.pos = nn.Embedding(cfg.window, cfg.dim)
        layer = nn.TransformerEncoderLayer(cfg.dim, cfg.heads, 4 * cfg.dim, cfg.dropout, batch_first=True)
        self.stack = nn.TransformerEncoder(layer, cfg.layers)
        self.next_event = nn.Linear(cfg.dim, n_events)
        self.next_dt = nn.Linear(cfg.dim, 1)

    def forward(self, events: torch.Tensor, log_dt: torch.Tensor):
        n = events.size(1)
        x = self.event(events) + self.dt(log_dt[..., None]) + self.pos(torch.arange(n, device=events.device))
        causal = nn.Transformer.generate_square_subsequent_mask(n, device=events.device)
        h = self.stack(x, mask=causal, is_causal=True)
        return self.next_event(h), self.next_dt(h).squeeze(-1)

    def loss(self, events: torch.Tensor, log_dt: torch.Tensor) -> torch.Tensor:
        ev_logits, dt_pred = self(events[:, :-1], log_dt[:, :-1])
        return F.cross_entropy(ev_logits.transpose(1, 2), events[:, 1:]) + F.mse_loss(dt_pred, log_dt[:, 1:])


def synthetic_stream(batch: int, n: int, generator=None):
    kind = torch.randint(0, EVENT_TYPES, (batch, n), generator=generator)
    side = torch.randint(0, SIDES, (batch, n), generator=generator)
    level = torch.randint(0, LEVELS, (batch, n), generator=generator)
    log_dt = torch.randn(batch, n, generator=generator) * 0.5 - 3
    return event_id(kind, side, level), log_dt


if __name__ == "__main__":
    torch.manual_seed(0)
    model = OrderBookLM()
    events, log_dt = synthetic_stream(8, 33)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    loss = model.loss(events, log_dt)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        logits, _ = model(events[:, :16], log_dt[:, :16])
    print("train loss", round(loss.item(), 4), "next-event argmax", logits[:, -1].argmax(-1).tolist())
