"""Config-driven models: a dataclass's negative default as the fill, layers built as
[first] + [copies], a causal band of 0/1 floats, and a flag-gated is_causal."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Args:
    dim: int = 32
    heads: int = 4
    mask_value: float = -1e9  # expect: ML205
    window: int = 3


class Eager(nn.Module):
    def __init__(self, args: Args):
        super().__init__()
        self.args = args
        self.qkv = nn.Linear(args.dim, 3 * args.dim)

    def forward(self, x, keep):
        q, k, v = self.qkv(x).chunk(3, -1)
        sim = (q @ k.transpose(-1, -2)).masked_fill(~keep[:, None, :], self.args.mask_value)
        return sim.softmax(-1) @ v

    def band(self, t):
        return torch.ones(t, t).tril().triu(-(self.args.window - 1))

    def local(self, q, k, v):
        return F.scaled_dot_product_attention(q, k, v, attn_mask=self.band(q.size(-2)))  # expect: ML202


class Stack(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        self.causal = cfg.get("causal", True)
        first = nn.TransformerEncoderLayer(cfg["dim"], cfg["heads"], batch_first=True)
        self.layers = nn.ModuleList([first] + [
            nn.TransformerEncoderLayer(cfg["dim"], cfg["heads"], batch_first=True) for _ in range(cfg["depth"] - 1)
        ])

    def forward(self, h):
        for layer in self.layers:
            if self.causal:
                h = layer(h, is_causal=True)  # expect: ML402
            else:
                h = layer(h)
        return h


def run(args: Args):
    m = Eager(args).half()
    return m
