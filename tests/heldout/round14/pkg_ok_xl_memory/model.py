from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .layers import XLLayer
from .memory import init_mems, update_mems


@dataclass
class XLConfig:
    vocab: int = 1000
    dim: int = 64
    heads: int = 4
    layers: int = 2
    seg_len: int = 12
    mem_len: int = 12
    dropout: float = 0.1


class SegmentRecurrentLM(nn.Module):
    def __init__(self, cfg: XLConfig = XLConfig()):
        super().__init__()
        self.cfg = cfg
        self.emb = nn.Embedding(cfg.vocab, cfg.dim)
        self.layers = nn.ModuleList(XLLayer(cfg.dim, cfg.heads, cfg.dropout) for _ in range(cfg.layers))
        self.out = nn.Linear(cfg.dim, cfg.vocab)

    def forward_segment(self, ids, mems):
        h = self.emb(ids)
        hids = [h]
        for layer, mem in zip(self.layers, mems):
            h = layer(h, mem)
            hids.append(h)
        return self.out(h), update_mems(mems, hids[:-1], self.cfg.mem_len)

    def stream_loss(self, stream: torch.Tensor) -> torch.Tensor:
        mems, losses = init_mems(len(self.layers)), []
        inp, tgt = stream[:, :-1], stream[:, 1:]
        for s in range(0, inp.size(1), self.cfg.seg_len):
            logits, mems = self.forward_segment(inp[:, s: s + self.cfg.seg_len], mems)
            losses.append(F.cross_entropy(logits.transpose(1, 2), tgt[:, s: s + self.cfg.seg_len]))
        return torch.stack(losses).mean()
