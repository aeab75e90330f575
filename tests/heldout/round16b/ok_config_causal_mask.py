from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class TrajectoryConfig:
    state_dim: int = 11
    d_model: int = 64
    n_heads: int = 4
    n_layers: int = 2
    causal: bool = True


class TrajectoryBlock(nn.Module):
    def __init__(self, cfg, is_causal=True):
        super().__init__()
        self.is_causal = is_causal
        self.attn = nn.MultiheadAttention(cfg.d_model, cfg.n_heads, batch_first=True)
        self.ln = nn.LayerNorm(cfg.d_model)
        self.mlp = nn.Sequential(nn.Linear(cfg.d_model, 2 * cfg.d_model), nn.GELU(), nn.Linear(2 * cfg.d_model, cfg.d_model))

    def forward(self, x):
        n = x.size(1)
        mask = nn.Transformer.generate_square_subsequent_mask(n, device=x.device) if self.is_causal else None
        h = self.ln(x)
        x = x + self.attn(h, h, h, attn_mask=mask, is_causal=self.is_causal, need_weights=False)[0]
        return x + self.mlp(x)


class TrajectoryModel(nn.Module):
    def __init__(self, cfg=TrajectoryConfig()):
        super().__init__()
        self.inp = nn.Linear(cfg.state_dim, cfg.d_model)
        self.blocks = nn.ModuleList(TrajectoryBlock(cfg, is_causal=cfg.causal) for _ in range(cfg.n_layers))
        self.out = nn.Linear(cfg.d_model, cfg.state_dim)

    def forward(self, states):
        x = self.inp(states)
        for blk in self.blocks:
            x = blk(x)
        return self.out(x)


if __name__ == "__main__":
    model = TrajectoryModel()
    s = torch.randn(2, 16, 11)
    print(nn.functional.mse_loss(model(s)[:, :-1], s[:, 1:]).item())
    with torch.no_grad():
        print(TrajectoryModel().eval()(s).shape)
