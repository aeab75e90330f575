"""Ride-hailing dispatch scorer: each open order attends over candidate drivers.

Feasibility (vehicle class, distance cap) differs per order and per batch element, so the mask is
(B, orders, drivers) and is stacked per head for nn.MultiheadAttention.
"""
import torch
from torch import nn


def feasibility(order_xy, driver_xy, order_class, driver_class, radius=0.5):
    dist = torch.cdist(order_xy, driver_xy)
    ok = (dist < radius) & (driver_class[:, None, :] >= order_class[:, :, None])
    nearest = dist.argmin(-1, keepdim=True)
    ok.scatter_(-1, nearest, True)  # the nearest driver is always a fallback candidate
    return ~ok  # True = infeasible (blocked)


class DispatchScorer(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.order_in = nn.Linear(3, dim)
        self.driver_in = nn.Linear(3, dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, order_xy, driver_xy, order_class, driver_class):
        q = self.order_in(torch.cat([order_xy, order_class[..., None].float()], -1))
        k = self.driver_in(torch.cat([driver_xy, driver_class[..., None].float()], -1))
        blocked = feasibility(order_xy, driver_xy, order_class, driver_class)
        blocked = blocked.repeat_interleave(self.heads, dim=0)
        _, weights = self.attn(q, k, k, attn_mask=blocked, need_weights=True)
        return weights  # (B, orders, drivers) assignment preference


if __name__ == "__main__":
    torch.manual_seed(0)
    B, O, Dr = 3, 4, 6
    w = DispatchScorer()(torch.rand(B, O, 2), torch.rand(B, Dr, 2), torch.randint(0, 3, (B, O)), torch.randint(0, 3, (B, Dr)))
    print("assignment", w.argmax(-1).tolist())
