from dataclasses import dataclass
from typing import ClassVar

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class BaseConfig:
    d_model: int = 64
    n_head: int = 4


@dataclass
class EncoderConfig(BaseConfig):
    version: ClassVar[str] = "1"
    causal: bool = False


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)

    def forward(self, x, ids):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        keep = (ids != 0)[:, None, None, :]
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep, is_causal=self.cfg.causal)


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = Attention(EncoderConfig(128, 8, False))

    def forward(self, x, ids):
        return self.attn(x, ids)
