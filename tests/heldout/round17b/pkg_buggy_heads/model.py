"""Social attention: each agent attends to nearby agents, then predicts its next offset."""
import torch
from torch import nn

from .scene import interaction_block, random_scenes


class SocialAttention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.state = nn.Sequential(nn.Linear(4, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.head = nn.Linear(2 * dim, 2)

    def forward(self, pos, vel, valid):
        h = self.state(torch.cat([pos, vel], dim=-1))
        blocked = interaction_block(pos, valid)
        ctx, _ = self.attn(h, h, h, attn_mask=blocked.repeat(self.heads, 1, 1))  # expect: ML302
        return self.head(torch.cat([h, ctx], dim=-1))


def rollout(model, pos, vel, valid, steps=8, dt=0.4):
    path = [pos]
    with torch.no_grad():
        for _ in range(steps):
            vel = model(pos, vel, valid)
            pos = pos + dt * vel
            path.append(pos)
    return torch.stack(path, dim=2)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SocialAttention().eval()
    pos, vel, valid = random_scenes()
    print(rollout(model, pos, vel, valid).shape)
