import torch
from torch import nn

from .config import load_config
from .geometry import out_of_range, per_head


class FleetPolicy(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        m = cfg["model"]
        self.cfg = cfg
        d = m["d_model"]
        self.obs = nn.Linear(cfg["obs"]["features"], d)
        self.attn = nn.ModuleList(
            nn.MultiheadAttention(d, m["nhead"], dropout=m["dropout"], batch_first=True) for _ in range(m["layers"]))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(m["layers"]))
        self.mlp = nn.ModuleList(
            nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.Tanh(), nn.Linear(2 * d, d)) for _ in range(m["layers"]))
        self.act = nn.Linear(d, cfg["act"]["dims"])

    def forward(self, obs):
        xy = obs[..., :2]
        hidden = per_head(out_of_range(xy, self.cfg["sensing"]["radius_m"]), self.cfg["model"]["nhead"])
        h = self.obs(obs)
        for attn, norm, mlp in zip(self.attn, self.norm, self.mlp):
            a, _ = attn(h, h, h, attn_mask=hidden, need_weights=False)
            h = norm(h + a)
            h = h + mlp(h)
        return torch.tanh(self.act(h))


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = load_config({"sensing": {"radius_m": 5.0}})
    policy = FleetPolicy(cfg)
    obs = torch.randn(2, 10, cfg["obs"]["features"])
    obs[..., :2] = torch.rand(2, 10, 2) * 20
    print(policy(obs).shape)
