import torch
from torch import nn

from .masks import local_temporal_mask


class SignRecognizer(nn.Module):
    def __init__(self, feat_dim=24, dim=32, heads=4, depth=2, n_signs=50, radius=3):
        super().__init__()
        self.heads, self.radius = heads, radius
        self.inp = nn.Linear(feat_dim, dim)
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads, batch_first=True) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.cls = nn.Linear(dim, n_signs)

    def forward(self, frames, n_frames):
        B, T, _ = frames.shape
        mask = local_temporal_mask(n_frames, T, self.radius)
        mask = mask.unsqueeze(1).expand(B, self.heads, T, T).reshape(B * self.heads, T, T)
        x = self.inp(frames)
        for attn, norm in zip(self.attn, self.norm):
            h = norm(x)
            x = x + attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        keep = (torch.arange(T)[None] < n_frames[:, None]).unsqueeze(-1).float()
        return self.cls((x * keep).sum(1) / keep.sum(1))
