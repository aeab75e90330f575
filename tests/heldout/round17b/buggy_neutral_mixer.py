"""Action-chunk policy for a 7-DoF arm, trained by behaviour cloning on teleop logs."""
import torch
from torch import nn


class SequenceMixer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.norm2 = nn.LayerNorm(dim)
        self.mix = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        h = self.norm1(x)
        x = x + self.mix(h, h, h, need_weights=False)[0]  # expect: ML401
        return x + self.mlp(self.norm2(x))


class JointPolicy(nn.Module):
    def __init__(self, n_joints=7, obs_dim=24, dim=64, heads=4, depth=2, horizon=50):
        super().__init__()
        self.embed = nn.Linear(n_joints + obs_dim, dim)
        self.time = nn.Parameter(torch.zeros(horizon, dim))
        self.mixers = nn.Sequential(*[SequenceMixer(dim, heads) for _ in range(depth)])
        self.act = nn.Linear(dim, n_joints)

    def forward(self, joints, obs):
        t = joints.size(1)
        x = self.embed(torch.cat([joints, obs], -1)) + self.time[:t]
        return self.act(self.mixers(x))


def bc_loss(policy, joints, obs):
    pred = policy(joints[:, :-1], obs[:, :-1])
    return nn.functional.mse_loss(pred, joints[:, 1:])


@torch.no_grad()
def rollout(policy, joints, obs_fn, steps):
    for _ in range(steps):
        nxt = policy(joints, obs_fn(joints))[:, -1:]
        joints = torch.cat([joints, nxt], dim=1)
    return joints


if __name__ == "__main__":
    torch.manual_seed(0)
    policy = JointPolicy()
    joints, obs = torch.randn(16, 30, 7).cumsum(1) * 0.01, torch.randn(16, 30, 24)
    opt = torch.optim.Adam(policy.parameters(), 1e-3)
    for _ in range(5):
        loss = bc_loss(policy, joints, obs)
        opt.zero_grad()
        loss.backward()
        opt.step()
    camera = lambda j: torch.zeros(j.size(0), j.size(1), 24)
    print(loss.item(), rollout(policy.eval(), joints[:2, :5], camera, 10).shape)
