"""Pluggable attention backends for a small decoder; `attn_impl` picks one from a registry."""
from dataclasses import dataclass
from typing import Callable, Dict

import torch
import torch.nn as nn
import torch.nn.functional as F

# ------------------------------------------------------------------ registry
ATTENTION_IMPLS: Dict[str, Callable] = {}


def register(name: str):
    def deco(fn):
        ATTENTION_IMPLS[name] = fn
        return fn
    return deco


@register("eager")
def eager_attention(q, k, v, mask):
    scores = q @ k.transpose(-2, -1) / q.size(-1) ** 0.5
    scores = scores.masked_fill(mask, float("-inf"))
    return scores.softmax(-1) @ v


@register("sdpa")
def sdpa_attention(q, k, v, mask):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


# ------------------------------------------------------------------ masks
def future_mask(length: int, device=None) -> torch.Tensor:
    """True where the key lies in the future of the query."""
    return torch.triu(torch.ones(length, length, dtype=torch.bool, device=device), diagonal=1)


# ------------------------------------------------------------------ model
@dataclass
class Cfg:
    dim: int = 64
    heads: int = 4
    attn_impl: str = "sdpa"


class DecoderAttention(nn.Module):
    def __init__(self, cfg: Cfg):
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(cfg.dim, 3 * cfg.dim)
        self.proj = nn.Linear(cfg.dim, cfg.dim)

    @property
    def attend(self) -> Callable:
        return ATTENTION_IMPLS[self.cfg.attn_impl]

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.cfg.heads, C // self.cfg.heads).permute(2, 0, 3, 1, 4)
        mask = future_mask(T, x.device)
        y = self.attend(q, k, v, mask)  # expect: ML102
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(2, 6, 64)
    eager = DecoderAttention(Cfg(attn_impl="eager"))
    sdpa = DecoderAttention(Cfg(attn_impl="sdpa"))
    sdpa.load_state_dict(eager.state_dict())
    print("backends agree:", torch.allclose(eager(x), sdpa(x), atol=1e-5))
