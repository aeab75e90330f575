"""Multi-agent trajectory forecaster: agents attend only to agents within a radius.

Scenes are batched; each scene has A agent slots (some empty).
"""
import torch
import torch.nn as nn


def visibility_mask(positions: torch.Tensor, present: torch.Tensor, radius: float) -> torch.Tensor:
    """(N, A, 2), (N, A) -> (N, A, A) bool, True where agent j is NOT visible to agent i."""
    dist = torch.cdist(positions, positions)
    visible = (dist <= radius) & present[:, None, :]
    visible |= torch.eye(positions.size(1), dtype=torch.bool, device=positions.device)  # always see yourself
    return ~visible


class SocialAttention(nn.Module):
    def __init__(self, dim=64, heads=4, radius=30.0):
        super().__init__()
        self.radius = radius
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(dim, dim), nn.ReLU())

    def forward(self, h, positions, present):
        blocked = visibility_mask(positions, present, self.radius)
        per_head = blocked.repeat_interleave(self.mha.num_heads, dim=0)  # (N*H, A, A), b*H + h
        out, _ = self.mha(h, h, h, attn_mask=per_head)
        return self.ff(out) + h


class Forecaster(nn.Module):
    def __init__(self, hist=8, fut=12, dim=64):
        super().__init__()
        self.fut = fut
        self.enc = nn.GRU(2, dim, batch_first=True)
        self.social = SocialAttention(dim)
        self.dec = nn.Linear(dim, fut * 2)

    def forward(self, past):  # (N, A, hist, 2)
        N, A, T, _ = past.shape
        _, h = self.enc(past.reshape(N * A, T, 2))
        h = h[-1].view(N, A, -1)
        present = past.abs().sum((-1, -2)) > 0
        h = self.social(h, past[:, :, -1], present)
        return self.dec(h).view(N, A, self.fut, 2) + past[:, :, -1:, :]


if __name__ == "__main__":
    torch.manual_seed(0)
    past = torch.cumsum(torch.randn(6, 10, 8, 2), dim=2) + torch.randn(6, 10, 1, 2) * 20
    past[:, 8:] = 0  # two empty agent slots per scene
    model = Forecaster()
    pred = model(past)
    loss = (pred - past[:, :, -1:, :]).norm(dim=-1).mean()
    loss.backward()
    print("forecast", tuple(pred.shape), "finite:", bool(torch.isfinite(pred).all()))
