"""Which agents may attend to which, per scene."""
import torch


def interaction_block(positions, valid, radius=5.0):
    """(scenes, agents, agents) bool, True where agent j is hidden from agent i.

    Agents interact only within ``radius`` metres; absent agents are hidden.
    Every agent always sees itself.
    """
    dist = torch.cdist(positions, positions)
    far = dist > radius
    absent = ~valid
    blocked = torch.logical_or(far, absent[:, None, :])
    eye = torch.eye(positions.size(1), dtype=torch.bool, device=positions.device)
    return blocked & ~eye


def random_scenes(n_scenes=2, n_agents=5, seed=0):
    g = torch.Generator().manual_seed(seed)
    pos = torch.rand(n_scenes, n_agents, 2, generator=g) * 12.0
    vel = torch.randn(n_scenes, n_agents, 2, generator=g) * 0.5
    valid = torch.ones(n_scenes, n_agents, dtype=torch.bool)
    valid[1, -2:] = False
    return pos, vel, valid


def summary(blocked):
    per_scene = (~blocked).sum(-1).float().mean(-1)
    return [round(v, 2) for v in per_scene.tolist()]
