"""Approach-path deviation alerts from secondary-radar returns.

Each flight is a time series of radar returns; some sweeps are dropped
(garbled transponder replies).  A causal model scores each return as it
arrives.  The attention call uses nn.MultiheadAttention's positional order
(query, key, value, key_padding_mask, need_weights, attn_mask), and a
forward pre-hook records mask statistics for the monitoring dashboard.
"""
from collections import defaultdict

import torch
import torch.nn.functional as F
from torch import nn

MASK_STATS = defaultdict(list)


def record_masks(module, args, kwargs):
    kpm = args[3] if len(args) > 3 else kwargs.get("key_padding_mask")
    if kpm is not None:
        MASK_STATS[module.tag].append(kpm.float().mean().item())


class ReturnBlock(nn.Module):
    def __init__(self, dim, heads, tag, max_sweeps=512):
        super().__init__()
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.mha.tag = tag
        self.mha.register_forward_pre_hook(record_masks, with_kwargs=True)
        self.ln = nn.LayerNorm(dim)
        self.register_buffer("ahead", torch.ones(max_sweeps, max_sweeps, dtype=torch.bool).triu(1), persistent=False)

    def forward(self, x, dropped):
        t = x.size(1)
        h = self.ln(x)
        y, _ = self.mha(h, h, h, dropped, False, self.ahead[:t, :t])
        return x + y


class DeviationScorer(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2):
        super().__init__()
        self.inp = nn.Linear(5, dim)          # range, bearing, flight level, ground speed, rate of climb
        self.blocks = nn.ModuleList(ReturnBlock(dim, heads, tag=f"block{i}") for i in range(depth))
        self.alert = nn.Linear(dim, 1)

    def forward(self, returns, dropped):
        x = self.inp(returns.masked_fill(dropped.unsqueeze(-1), 0.0))
        for blk in self.blocks:
            x = blk(x, dropped)
        return self.alert(x).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    returns = torch.randn(3, 30, 5)
    dropped = torch.rand(3, 30) < 0.15
    dropped[:, 0] = False                      # the first return opens the track
    labels = (torch.rand(3, 30) < 0.1).float()
    model = DeviationScorer()
    logits = model(returns, dropped)
    loss = F.binary_cross_entropy_with_logits(logits[~dropped], labels[~dropped])
    loss.backward()
    print("alert loss", round(loss.item(), 4), "dropped share", {k: round(v[-1], 3) for k, v in MASK_STATS.items()})
