"""Moment retrieval (DETR-style) encoder over clip features with per-video masks,
using einops to tile the mask over heads for nn.MultiheadAttention."""
import torch
import torch.nn as nn
from einops import repeat


class T2VEncoderLayer(nn.Module):
    def __init__(self, d_model=256, nhead=8):
        super().__init__()
        self.nhead = nhead
        self.self_attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, src, pair_mask):
        h, _ = self.self_attn(src, src, src, attn_mask=pair_mask)
        return self.norm(src + h)


class MomentEncoder(nn.Module):
    def __init__(self, d_model=256, nhead=8, layers=2):
        super().__init__()
        self.nhead = nhead
        self.layers = nn.ModuleList(T2VEncoderLayer(d_model, nhead) for _ in range(layers))

    def forward(self, clip_feats, clip_valid):
        B, L, _ = clip_feats.shape
        blocked = ~(clip_valid[:, :, None] & clip_valid[:, None, :])
        blocked = blocked & ~torch.eye(L, dtype=torch.bool, device=clip_feats.device)
        pair_mask = repeat(blocked, "b l s -> (h b) l s", h=self.nhead)
        x = clip_feats
        for layer in self.layers:
            x = layer(x, pair_mask)  # expect: ML302
        return x
