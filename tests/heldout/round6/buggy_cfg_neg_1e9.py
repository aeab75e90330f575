"""Hand-written attention with the masking constant taken from a dataclass config.

The model is trained with `model.half()` on GPU.
"""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass(frozen=True)
class AttnConfig:
    dim: int = 64
    heads: int = 8
    causal: bool = True
    pad_token_id: int = 0
    neg_inf: float = -1e9  # expect: ML205
    attn_impl: str = "eager"


class EagerAttention(nn.Module):
    def __init__(self, cfg: AttnConfig):
        super().__init__()
        self.cfg = cfg
        self.hd = cfg.dim // cfg.heads
        self.q = nn.Linear(cfg.dim, cfg.dim)
        self.k = nn.Linear(cfg.dim, cfg.dim)
        self.v = nn.Linear(cfg.dim, cfg.dim)
        self.o = nn.Linear(cfg.dim, cfg.dim)

    def _split(self, t):
        B, T, _ = t.shape
        return t.view(B, T, self.cfg.heads, self.hd).transpose(1, 2)

    def forward(self, x, input_ids):
        q, k, v = self._split(self.q(x)), self._split(self.k(x)), self._split(self.v(x))
        scores = q @ k.transpose(-1, -2) / self.hd ** 0.5
        T = x.size(1)
        keep = (input_ids != self.cfg.pad_token_id)[:, None, None, :]
        if self.cfg.causal:
            keep = keep & torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        scores = scores.masked_fill(~keep, self.cfg.neg_inf)
        probs = scores.softmax(-1)
        out = (probs @ v).transpose(1, 2).reshape_as(x)
        return self.o(out)


if __name__ == "__main__":
    cfg = AttnConfig()
    m = EagerAttention(cfg).half()
    x = torch.randn(2, 5, 64).half()
    ids = torch.tensor([[5, 6, 7, 0, 0], [1, 2, 3, 4, 5]])
    try:
        m(x, ids)
        print("ran")
    except RuntimeError as e:
        print("half precision:", e)
