from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .attention import SelfAttention
from .moe import TopKMoE


@dataclass
class MoEConfig:
    vocab: int = 1000
    dim: int = 64
    n_layers: int = 2
    n_heads: int = 4
    n_kv_heads: int = 2
    n_experts: int = 4
    expert_hidden: int = 96
    aux_weight: float = 0.01


class MoEBlock(nn.Module):
    def __init__(self, cfg: MoEConfig):
        super().__init__()
        self.attn_norm, self.ffn_norm = nn.RMSNorm(cfg.dim), nn.RMSNorm(cfg.dim)
        self.attn = SelfAttention(cfg.dim, cfg.n_heads, cfg.n_kv_heads)
        self.moe = TopKMoE(cfg.dim, cfg.expert_hidden, cfg.n_experts)

    def forward(self, x):
        x = x + self.attn(self.attn_norm(x))
        y, aux = self.moe(self.ffn_norm(x))
        return x + y, aux


class MoELanguageModel(nn.Module):
    def __init__(self, cfg: MoEConfig = MoEConfig()):
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab, cfg.dim)
        self.layers = nn.ModuleList(MoEBlock(cfg) for _ in range(cfg.n_layers))
        self.norm = nn.RMSNorm(cfg.dim)
        self.lm_head = nn.Linear(cfg.dim, cfg.vocab, bias=False)

    def forward(self, ids: torch.Tensor):
        x, aux_total = self.tok(ids), 0.0
        for layer in self.layers:
            x, aux = layer(x)
            aux_total = aux_total + aux
        return self.lm_head(self.norm(x)), aux_total

    def training_loss(self, ids: torch.Tensor) -> torch.Tensor:
        logits, aux = self(ids[:, :-1])
        ce = F.cross_entropy(logits.reshape(-1, self.cfg.vocab), ids[:, 1:].reshape(-1))
        return ce + self.cfg.aux_weight * aux

    @torch.no_grad()
    def generate(self, ids: torch.Tensor, n: int) -> torch.Tensor:
        for _ in range(n):
            logits, _ = self(ids)
            ids = torch.cat([ids, logits[:, -1:].argmax(-1)], dim=1)
        return ids
