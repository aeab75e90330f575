"""Moment-retrieval DETR encoder: clip/query cross-modal fusion driven by a config object."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class FusionConfig:
    hidden_dim: int = 32
    nheads: int = 4
    dropout: float = 0.0
    num_layers: int = 2
    pad_id: int = 0


class CrossModalLayer(nn.Module):
    def __init__(self, cfg: FusionConfig):
        super().__init__()
        self.cfg = cfg
        self.cross_attn = nn.MultiheadAttention(cfg.hidden_dim, cfg.nheads, dropout=cfg.dropout)
        self.norm = nn.LayerNorm(cfg.hidden_dim)

    def forward(self, vid, txt, vid_mask, txt_mask):
        # vid: (Lv, B, D), txt: (Lt, B, D); masks (B, L) with True = valid
        allowed = vid_mask[:, :, None] & txt_mask[:, None, :]
        allowed[:, :, 0] = True  # keep the learned [dummy] text token visible
        attn_mask = ~allowed  # BUG
        attn_mask = attn_mask.repeat(self.cfg.nheads, 1, 1)  # BUG
        out, _ = self.cross_attn(vid, txt, txt, attn_mask=attn_mask)  # BUG
        return self.norm(vid + out)


class CIMEncoder(nn.Module):
    def __init__(self, cfg: FusionConfig):
        super().__init__()
        self.cfg = cfg
        self.dummy = nn.Parameter(torch.randn(1, cfg.hidden_dim))
        self.layers = nn.ModuleList(CrossModalLayer(cfg) for _ in range(cfg.num_layers))
        self.saliency = nn.Linear(cfg.hidden_dim, 1)

    def forward(self, src_vid, src_txt, vid_mask, txt_mask):
        b = src_vid.shape[0]
        txt = torch.cat([self.dummy.expand(b, 1, -1), src_txt], dim=1)
        txt_mask = torch.cat([txt_mask.new_ones(b, 1), txt_mask], dim=1)
        vid, txt = src_vid.permute(1, 0, 2), txt.permute(1, 0, 2)
        for layer in self.layers:
            vid = layer(vid, txt, vid_mask.bool(), txt_mask.bool())
        return self.saliency(vid).squeeze(-1).t()


if __name__ == "__main__":
    torch.manual_seed(0)
    cfg = FusionConfig()
    enc = CIMEncoder(cfg).eval()
    vid, txt = torch.randn(3, 5, 32), torch.randn(3, 4, 32)
    vm = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 1, 1, 1, 0]])
    tm = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0]])
    with torch.no_grad():
        full = enc(vid, txt, vm, tm)
        solo = enc(vid[1:2], txt[1:2], vm[1:2], tm[1:2])
    print("batch independent:", torch.allclose(full[1], solo[0], atol=1e-5))
