"""Stitch-path generator for machine embroidery: (dx, dy, command) tokens predicted one at a time.
The same backbone doubles as a bidirectional encoder for design classification."""
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F

COMMANDS = ["stitch", "jump", "trim", "color_change", "end"]


@dataclass
class StitchConfig:
    d_model: int = 64
    n_heads: int = 4
    n_layers: int = 2
    max_len: int = 512
    causal: bool = True

    @classmethod
    def from_dict(cls, d):
        base = asdict(cls())
        base.update({k: v for k, v in d.items() if k in base})
        return cls(**base)


class StitchAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.proj = nn.Linear(cfg.d_model, cfg.d_model)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.cfg.n_heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=self.cfg.causal)
        return self.proj(y.transpose(1, 2).reshape(b, t, d))


class StitchModel(nn.Module):
    def __init__(self, cfg: StitchConfig):
        super().__init__()
        self.inp = nn.Linear(2, cfg.d_model)
        self.cmd = nn.Embedding(len(COMMANDS), cfg.d_model)
        self.pos = nn.Embedding(cfg.max_len, cfg.d_model)
        self.layers = nn.ModuleList(StitchAttention(cfg) for _ in range(cfg.n_layers))
        self.norms = nn.ModuleList(nn.LayerNorm(cfg.d_model) for _ in range(cfg.n_layers))
        self.delta = nn.Linear(cfg.d_model, 2)
        self.command = nn.Linear(cfg.d_model, len(COMMANDS))

    def forward(self, deltas, cmds):
        x = self.inp(deltas) + self.cmd(cmds) + self.pos.weight[: cmds.size(1)]
        for norm, layer in zip(self.norms, self.layers):
            x = x + layer(norm(x))
        return self.delta(x), self.command(x)


if __name__ == "__main__":
    generator = StitchModel(StitchConfig.from_dict({"d_model": 48, "n_layers": 2}))
    classifier_backbone = StitchModel(StitchConfig.from_dict({"causal": False}))
    d = torch.randn(2, 30, 2)
    c = torch.randint(0, len(COMMANDS), (2, 30))
    pred_d, pred_c = generator(d[:, :-1], c[:, :-1])
    print(F.mse_loss(pred_d, d[:, 1:]) + F.cross_entropy(pred_c.transpose(1, 2), c[:, 1:]))
