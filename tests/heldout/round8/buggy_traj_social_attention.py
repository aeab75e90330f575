"""Multi-agent trajectory forecasting (autonomous driving).

Scenes have a variable number of agents (padded to A_max).  Each agent's past
track (x, y, vx, vy, heading) is encoded by a GRU; agents then interact through
social attention before an MLP decodes K future modes."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class SceneBatch:
    history: torch.Tensor  # (B, A, T_hist, 5)
    agent_valid: torch.Tensor  # (B, A) bool


def collate_scenes(scenes, a_max):
    B, T = len(scenes), scenes[0].shape[1]
    hist = torch.zeros(B, a_max, T, 5)
    valid = torch.zeros(B, a_max, dtype=torch.bool)
    for i, s in enumerate(scenes):
        hist[i, : s.shape[0]] = s
        valid[i, : s.shape[0]] = True
    return SceneBatch(hist, valid)


class SocialForecaster(nn.Module):
    def __init__(self, dim=64, heads=4, horizon=12, modes=3):
        super().__init__()
        self.horizon, self.modes = horizon, modes
        self.track_enc = nn.GRU(5, dim, batch_first=True)
        self.social = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln = nn.LayerNorm(dim)
        self.decoder = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, modes * horizon * 2))
        self.mode_logits = nn.Linear(dim, modes)

    def forward(self, batch: SceneBatch):
        B, A, T, F = batch.history.shape
        _, h = self.track_enc(batch.history.view(B * A, T, F))
        agents = h[-1].view(B, A, -1)
        ctx, _ = self.social(
            agents, agents, agents,
            key_padding_mask=batch.agent_valid,  # expect: ML101
            need_weights=False,
        )
        agents = self.ln(agents + ctx)
        traj = self.decoder(agents).view(B, A, self.modes, self.horizon, 2).cumsum(3)
        return traj, self.mode_logits(agents)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SocialForecaster().eval()
    scene_a = torch.randn(4, 10, 5)
    scene_b = torch.randn(7, 10, 5)
    batch = collate_scenes([scene_a, scene_b], a_max=8)
    with torch.no_grad():
        traj, logits = model(batch)
        alone, _ = model(collate_scenes([scene_a], a_max=4))
    d = (traj[0, :4] - alone[0]).abs().max().item()
    print("scene A forecasts: padded to 8 agents vs exactly 4 agents:", d)
    print("NaN when every slot holds a real agent:", torch.isnan(alone).any().item())
    assert not (d <= 1e-4)  # NaN or a real difference
    print("FAILURE SHOWN: padded agent slots drive the social attention")
