import torch
from torch import nn

from .config import load_config
from .geometry import in_comm_range, per_head


class SwarmPolicy(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        m = cfg["model"]
        self.cfg = cfg
        d = m["d_model"]
        self.obs = nn.Linear(cfg["obs"]["features"], d)
        self.attn = nn.ModuleList(
            nn.MultiheadAttention(d, m["nhead"], dropout=m["dropout"], batch_first=True) for _ in range(m["layers"])
        )
        self.mlp = nn.ModuleList(
            nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.Tanh(), nn.Linear(2 * d, d)) for _ in range(m["layers"])
        )
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(m["layers"]))
        self.act = nn.Linear(d, cfg["act"]["dims"])

    def forward(self, obs, positions):
        reach = per_head(in_comm_range(positions, self.cfg["comm"]["range_m"]), self.cfg["model"]["nhead"])
        h = self.obs(obs)
        for attn, norm, mlp in zip(self.attn, self.norm, self.mlp):
            a, _ = attn(h, h, h, attn_mask=reach, need_weights=False)  # BUG: in-range mask (True = can hear) passed where MultiheadAttention blocks True
            h = norm(h + a)
            h = h + mlp(h)
        return torch.tanh(self.act(h))  # velocity set-point per drone


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = load_config({"comm": {"range_m": 35.0}})
    policy = SwarmPolicy(cfg)
    B, N = 2, 12
    positions = torch.rand(B, N, 3) * 100
    obs = torch.randn(B, N, cfg["obs"]["features"])
    print(policy(obs, positions).shape)
