"""Causal transformer layer whose additive mask fill value comes from the config."""
from types import SimpleNamespace

import torch
import torch.nn as nn


def build_cfg(**over):
    cfg = SimpleNamespace(d_model=32, nhead=4, causal=True, dropout=0.0)
    for k, v in over.items():
        setattr(cfg, k, v)
    return cfg


class CausalLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.layer = nn.TransformerEncoderLayer(
            cfg.d_model, cfg.nhead, dim_feedforward=4 * cfg.d_model,
            dropout=cfg.dropout, batch_first=True,
        )

    def additive_mask(self, T, device):
        fill = getattr(self.cfg, "neg_inf", float("-inf"))
        visible = torch.tril(torch.ones(T, T, device=device)).bool()
        bias = torch.zeros(T, T, device=device)
        return bias.masked_fill(visible, fill)

    def forward(self, x):
        mask = self.additive_mask(x.size(1), x.device) if self.cfg.causal else None
        return self.layer(
            x,
            src_mask=mask,  # expect: ML103
        )


if __name__ == "__main__":
    torch.manual_seed(0)
    m = CausalLayer(build_cfg()).train()
    x = torch.randn(2, 5, 32)
    x2 = x.clone(); x2[:, -1] = torch.randn(2, 32)
    print("position 0 sees the future:", (m(x)[:, 0] - m(x2)[:, 0]).abs().max().item() > 1e-4)
