"""Decision Transformer for offline RL: (return-to-go, state, action) triples are interleaved
into one token stream and an action is predicted from each state token."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class DTConfig:
    state_dim: int = 11
    act_dim: int = 3
    hidden: int = 64
    heads: int = 4
    layers: int = 2
    context: int = 10
    max_ep_len: int = 1000


def interleaved_visibility(n_steps: int) -> np.ndarray:
    n = 3 * n_steps
    return np.tril(np.ones((n, n), dtype=np.bool_))


class DTBlock(nn.Module):
    def __init__(self, cfg: DTConfig):
        super().__init__()
        self.h = cfg.heads
        self.ln1, self.ln2 = nn.LayerNorm(cfg.hidden), nn.LayerNorm(cfg.hidden)
        self.c_attn, self.c_proj = nn.Linear(cfg.hidden, 3 * cfg.hidden), nn.Linear(cfg.hidden, cfg.hidden)
        self.mlp = nn.Sequential(nn.Linear(cfg.hidden, 4 * cfg.hidden), nn.GELU(), nn.Linear(4 * cfg.hidden, cfg.hidden))

    def forward(self, x: torch.Tensor, visible: torch.Tensor) -> torch.Tensor:
        b, n, c = x.shape
        q, k, v = self.c_attn(self.ln1(x)).split(c, dim=2)
        q, k, v = (t.view(b, n, self.h, c // self.h).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=visible)
        x = x + self.c_proj(y.transpose(1, 2).reshape(b, n, c))
        return x + self.mlp(self.ln2(x))


class DecisionTransformer(nn.Module):
    def __init__(self, cfg: DTConfig = DTConfig()):
        super().__init__()
        self.cfg = cfg
        self.embed_timestep = nn.Embedding(cfg.max_ep_len, cfg.hidden)
        self.embed_return = nn.Linear(1, cfg.hidden)
        self.embed_state = nn.Linear(cfg.state_dim, cfg.hidden)
        self.embed_action = nn.Linear(cfg.act_dim, cfg.hidden)
        self.embed_ln = nn.LayerNorm(cfg.hidden)
        self.blocks = nn.ModuleList(DTBlock(cfg) for _ in range(cfg.layers))
        self.predict_action = nn.Sequential(nn.Linear(cfg.hidden, cfg.act_dim), nn.Tanh())
        self.register_buffer("visible", torch.from_numpy(interleaved_visibility(cfg.context)), persistent=False)

    def forward(self, states, actions, returns_to_go, timesteps):
        b, t = states.shape[:2]
        time = self.embed_timestep(timesteps)
        tokens = torch.stack([self.embed_return(returns_to_go) + time, self.embed_state(states) + time,
                              self.embed_action(actions) + time], dim=2).reshape(b, 3 * t, -1)
        x = self.embed_ln(tokens)
        for blk in self.blocks:
            x = blk(x, self.visible[: 3 * t, : 3 * t])
        state_tokens = x.view(b, t, 3, -1)[:, :, 1]
        return self.predict_action(state_tokens)


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = DTConfig()
    model = DecisionTransformer(cfg)
    b, t = 4, cfg.context
    states, actions = torch.randn(b, t, cfg.state_dim), torch.rand(b, t, cfg.act_dim) * 2 - 1
    rtg = torch.linspace(3600, 0, t).expand(b, t).unsqueeze(-1) / 1000
    timesteps = torch.arange(t).expand(b, t)
    pred = model(states, actions, rtg, timesteps)
    loss = F.mse_loss(pred, actions)
    loss.backward()
    print("action mse", round(loss.item(), 4))
