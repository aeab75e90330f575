from dataclasses import dataclass

import torch.nn as nn
import torch.nn.functional as F


@dataclass
class BaseConfig:
    bias: bool = True


@dataclass
class EncoderConfig(BaseConfig):
    causal: bool = False


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(64, 192, bias=cfg.bias)

    def forward(self, x, ids):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        keep = (ids != 0)[:, None, None, :]
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep, is_causal=self.cfg.causal)


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = Attention(EncoderConfig(True))   # bias=True, causal=False

    def forward(self, x, ids):
        return self.attn(x, ids)
