"""Initial component placement for two-layer PCB layouts.

Components are tokens (footprint class, pin count, size); a component attends
only to components it shares a net with, which keeps the mixing local to the
schematic's structure. The head regresses a normalised (x, y, rotation) seed
for the force-directed placer.
"""
import torch
import torch.nn as nn
from einops import repeat


def shared_net_mask(pin_nets, n_nets):
    """pin_nets: (batch, comps, pins) net index per pin, -1 for unused pins.

    Returns (batch, comps, comps) bool, True where two components share no net.
    """
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
        self.geom = nn.Linear(3, dim)    # pin count, width mm, height mm
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads, batch_first=True)
                                  for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.place = nn.Linear(dim, 3)

    def forward(self, footprint, geom, pin_nets):
        x = self.footprint(footprint) + self.geom(geom)
        apart = shared_net_mask(pin_nets, self.n_nets)
        apart = repeat(apart, "b i j -> (h b) i j", h=self.heads)
        for attn, norm in zip(self.attn, self.norm):
            h = norm(x)
            y, _ = attn(h, h, h, attn_mask=apart, need_weights=False)  # expect: ML302
            x = x + y
        xy_rot = self.place(x)
        return torch.cat([xy_rot[..., :2].sigmoid(), torch.tanh(xy_rot[..., 2:]) * torch.pi], -1)


if __name__ == "__main__":
    nets = torch.tensor([[[0, 1, -1], [1, 2, -1], [2, 3, 4], [4, -1, -1]]])
    print(PlacementNet()(torch.tensor([[3, 5, 7, 9]]), torch.rand(1, 4, 3), nets).shape)
