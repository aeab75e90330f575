"""Deformable-DETR-lite decoder with a registry of attention backends chosen by config.
Object queries cross-attend to multi-scale image tokens; images are padded."""
import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


def _eager_attention(q, k, v, keep):
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.size(-1))
    scores = scores.masked_fill(~keep, float("-inf"))
    return scores.softmax(-1) @ v


def _sdpa_attention(q, k, v, keep):
    return F.scaled_dot_product_attention(q, k, v)  # expect: ML504


ATTENTION_BACKENDS = {"eager": _eager_attention, "sdpa": _sdpa_attention}


@dataclass
class DecoderCfg:
    d: int = 32
    heads: int = 4
    n_queries: int = 5
    attn_impl: str = "sdpa"


class QueryCrossAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.q, self.kv, self.o = nn.Linear(cfg.d, cfg.d), nn.Linear(cfg.d, 2 * cfg.d), nn.Linear(cfg.d, cfg.d)

    def forward(self, queries, memory, mem_keep):
        B, Q, D = queries.shape
        H = self.cfg.heads
        q = self.q(queries).view(B, Q, H, D // H).transpose(1, 2)
        k, v = self.kv(memory).view(B, -1, 2, H, D // H).permute(2, 0, 3, 1, 4)
        fn = ATTENTION_BACKENDS[self.cfg.attn_impl]
        y = fn(q, k, v, mem_keep[:, None, None, :])
        return self.o(y.transpose(1, 2).reshape(B, Q, D))


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = DecoderCfg()
    layer = QueryCrossAttention(cfg)
    queries, memory = torch.randn(2, 5, 32), torch.randn(2, 12, 32)
    keep = torch.ones(2, 12, dtype=torch.bool)
    keep[1, 8:] = False
    out_sdpa = layer(queries, memory, keep)
    cfg.attn_impl = "eager"
    out_eager = layer(queries, memory, keep)
    print("FAILURE SHOWN: sdpa backend disagrees with eager on the padded image, diff",
          f"{(out_sdpa[1] - out_eager[1]).abs().max().item():.3g}")
