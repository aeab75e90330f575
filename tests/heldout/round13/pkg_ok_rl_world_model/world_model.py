import torch
import torch.nn as nn

from .attention import GQAttention
from .config import WorldModelConfig


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.n1, self.n2 = nn.LayerNorm(cfg.dim), nn.LayerNorm(cfg.dim)
        self.attn = GQAttention(cfg)
        self.mlp = nn.Sequential(nn.Linear(cfg.dim, 4 * cfg.dim), nn.GELU(), nn.Linear(4 * cfg.dim, cfg.dim))

    def forward(self, x, bias):
        x = x + self.attn(self.n1(x), bias)
        return x + self.mlp(self.n2(x))


class WorldModel(nn.Module):
    def __init__(self, cfg: WorldModelConfig):
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.n_obs_tokens + cfg.n_actions, cfg.dim)
        self.pos = nn.Embedding(cfg.max_tokens, cfg.dim)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.depth))
        self.register_buffer("bias", cfg.attn_bias, persistent=False)
        self.next_obs = nn.Linear(cfg.dim, cfg.n_obs_tokens)
        self.reward = nn.Linear(cfg.dim, 3)
        self.done = nn.Linear(cfg.dim, 2)

    def forward(self, tokens):
        x = self.tok(tokens) + self.pos.weight[: tokens.size(1)]
        for blk in self.blocks:
            x = blk(x, self.bias)
        return self.next_obs(x), self.reward(x), self.done(x)
