"""Configs written as classes with class attributes (`cfg=LocalConfig`, `Config.causal`), read
through the instance or the class."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LocalConfig:
    d_model = 64
    nhead = 4
    window = 4
    causal = True


def band(T, window):
    i = torch.arange(T)
    return (i[:, None] - i[None, :]).abs() > window


class LocalEncoder(nn.Module):
    def __init__(self, cfg=LocalConfig):
        super().__init__()
        self.cfg = cfg
        self.layer = nn.TransformerEncoderLayer(cfg.d_model, cfg.nhead, batch_first=True)

    def forward(self, x):
        mask = band(x.size(1), self.cfg.window)
        return self.layer(x, src_mask=mask, is_causal=self.cfg.causal)  # expect: ML402


def attend(q, k, v):
    keep = torch.ones(q.size(-2), k.size(-2), dtype=torch.bool).tril()
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep, is_causal=LocalConfig.causal)  # expect: ML403
