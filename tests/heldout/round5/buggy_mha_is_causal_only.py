"""Autoregressive trajectory model for motion forecasting (agents' past -> future waypoints).
Inference runs under torch.inference_mode with the model in eval()."""
import torch
import torch.nn as nn


class TrajectoryBlock(nn.Module):
    def __init__(self, d=128, heads=8):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.ln = nn.LayerNorm(d)

    def forward(self, x):
        h = self.ln(x)
        a, _ = self.attn(  # expect: ML402
            h, h, h,
            need_weights=False,
            is_causal=True,
        )
        x = x + a
        return x + self.mlp(x)


class WaypointModel(nn.Module):
    def __init__(self, d=128, depth=3):
        super().__init__()
        self.inp = nn.Linear(2, d)
        self.blocks = nn.ModuleList(TrajectoryBlock(d) for _ in range(depth))
        self.out = nn.Linear(d, 2)

    def forward(self, xy):
        h = self.inp(xy)
        for b in self.blocks:
            h = b(h)
        return self.out(h)

    @torch.inference_mode()
    def rollout(self, past, steps=10):
        traj = past
        for _ in range(steps):
            traj = torch.cat([traj, self(traj)[:, -1:]], 1)
        return traj[:, past.size(1):]


if __name__ == "__main__":
    m = WaypointModel().eval()
    print(m.rollout(torch.randn(3, 8, 2)).shape)
