"""Eager attention for fp16 inference: the fill value is chosen to be representable in half."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass(frozen=True)
class AttnConfig:
    dim: int = 32
    heads: int = 4
    pad_token_id: int = 0
    neg_inf: float = -1e4  # fp16 max is 65504
    causal: bool = True


class EagerAttention(nn.Module):
    def __init__(self, cfg: AttnConfig):
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(cfg.dim, 3 * cfg.dim)
        self.o = nn.Linear(cfg.dim, cfg.dim)

    def forward(self, x, input_ids):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.cfg.heads, -1).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-1, -2)) * (C // self.cfg.heads) ** -0.5
        keep = (input_ids != self.cfg.pad_token_id)[:, None, None, :]
        if self.cfg.causal:
            keep = keep & torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        scores = scores.masked_fill(~keep, self.cfg.neg_inf)
        probs = scores.float().softmax(-1).to(v.dtype)
        return self.o((probs @ v).transpose(1, 2).reshape(B, T, C))


if __name__ == "__main__":
    torch.manual_seed(0)
    m = EagerAttention(AttnConfig())
    x = torch.randn(2, 5, 32)
    ids = torch.tensor([[0, 0, 5, 6, 7], [1, 2, 3, 4, 5]])
    ref = m(x, ids)
    out = m.half()(x.half(), ids)
    assert not torch.isnan(out).any()
    assert torch.allclose(out[:, 2:].float(), ref[:, 2:], atol=2e-2)
    print("fp16 ok")
