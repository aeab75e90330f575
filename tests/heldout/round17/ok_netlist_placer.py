"""Initial component placement for two-layer PCB layouts (net-local attention)."""
import torch
import torch.nn as nn
from einops import repeat


def shared_net_mask(pin_nets, n_nets):
    """(batch, comps, comps) bool, True where two components share no net."""
    valid = pin_nets >= 0
    onehot = torch.zeros(*pin_nets.shape[:2], n_nets + 1, device=pin_nets.device)
    onehot.scatter_(2, torch.where(valid, pin_nets, n_nets), 1.0)
    onehot = onehot[..., :n_nets]
    share = onehot @ onehot.transpose(1, 2) > 0
    eye = torch.eye(pin_nets.size(1), dtype=torch.bool, device=pin_nets.device)
    return ~(share | eye)


class PlacementNet(nn.Module):
    def __init__(self, n_footprints=120, n_nets=256, dim=64, heads=4, depth=3):
        super().__init__()
        self.heads, self.n_nets = heads, n_nets
        self.footprint = nn.Embedding(n_footprints, dim)
        self.geom = nn.Linear(3, dim)
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads, batch_first=True)
                                  for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.place = nn.Linear(dim, 3)

    def forward(self, footprint, geom, pin_nets):
        x = self.footprint(footprint) + self.geom(geom)
        apart = shared_net_mask(pin_nets, self.n_nets)
        # MHA reads a 3-D mask as (batch * heads, L, S), batch-major
        apart = repeat(apart, "b i j -> (b h) i j", h=self.heads)
        for attn, norm in zip(self.attn, self.norm):
            h = norm(x)
            y, _ = attn(h, h, h, attn_mask=apart, need_weights=False)
            x = x + y
        xy_rot = self.place(x)
        return torch.cat([xy_rot[..., :2].sigmoid(), torch.tanh(xy_rot[..., 2:]) * torch.pi], -1)
