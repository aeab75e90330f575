"""Temporal transformer over per-frame CLIP features for text-video
retrieval (mean-pool / seqTransf similarity head)."""
from collections import OrderedDict

import torch
from torch import nn


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model: int, n_head: int):
        super().__init__()
        self.n_head = n_head
        self.attn = nn.MultiheadAttention(d_model, n_head)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(d_model, d_model * 4)),
            ("gelu", QuickGELU()),
            ("c_proj", nn.Linear(d_model * 4, d_model)),
        ]))
        self.ln_2 = nn.LayerNorm(d_model)

    def forward(self, x, video_mask):
        # x: (T, B, D); video_mask: (B, T) with 1 for real frames
        T = x.size(0)
        pad = video_mask == 0
        attn_mask = pad[:, None, :].expand(-1, T, -1)  # (B, T, T)
        attn_mask = attn_mask.repeat(self.n_head, 1, 1)  # (B * n_head, T, T)
        h = self.ln_1(x)
        x = x + self.attn(
            h, h, h,
            need_weights=False,
            attn_mask=attn_mask,  # expect: ML302
        )[0]
        return x + self.mlp(self.ln_2(x))


class TemporalTransformer(nn.Module):
    def __init__(self, width=512, layers=4, heads=8, max_frames=12):
        super().__init__()
        self.frame_position_embeddings = nn.Embedding(max_frames, width)
        self.resblocks = nn.ModuleList([ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def forward(self, frames, video_mask):
        # frames: (B, T, D)
        pos = torch.arange(frames.size(1), device=frames.device)
        x = frames + self.frame_position_embeddings(pos)[None]
        x = x.permute(1, 0, 2)
        for block in self.resblocks:
            x = block(x, video_mask)
        x = x.permute(1, 0, 2) + frames  # residual to the raw CLIP features
        m = video_mask.unsqueeze(-1).type_as(x)
        return (x * m).sum(1) / m.sum(1).clamp(min=1.0)


def similarity(text_feat, video_feat, logit_scale):
    text_feat = text_feat / text_feat.norm(dim=-1, keepdim=True)
    video_feat = video_feat / video_feat.norm(dim=-1, keepdim=True)
    return logit_scale.exp() * text_feat @ video_feat.t()
