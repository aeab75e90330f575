"""A dataclass config built with arguments decides which mask a model builds (transformers#48745, P4-9)."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    hidden: int = 8
    heads: int = 2
    is_decoder: bool = False


def bidirectional(ids):
    return (ids != 0)[:, None, None, :]


def causal(ids):
    t = ids.size(1)
    return bidirectional(ids) & torch.ones(t, t, dtype=torch.bool).tril()


class Attention(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.heads = cfg.heads
        self.qkv = nn.Linear(cfg.hidden, 3 * cfg.hidden)

    def forward(self, x, mask):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask).transpose(1, 2).reshape(b, t, d)  # expect: ML401


class ForCausalLM(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.cfg = cfg
        self.emb = nn.Embedding(50, cfg.hidden)
        self.attn = Attention(cfg)
        self.head = nn.Linear(cfg.hidden, 50)

    def forward(self, ids):
        mask = causal(ids) if self.cfg.is_decoder else bidirectional(ids)
        return self.head(self.attn(self.emb(ids), mask))


def train_step(ids):
    model = ForCausalLM(Config(8, 2, False))
    logits = model(ids[:, :-1])
    return F.cross_entropy(logits.flatten(0, 1), ids[:, 1:].flatten())
