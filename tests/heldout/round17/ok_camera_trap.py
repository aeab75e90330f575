"""Species classification for camera-trap trigger bursts (per-sample 3-D masks)."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence

MAX_GAP_S = 4.0


def collate_bursts(samples):
    feats = pad_sequence([s["frames"] for s in samples], batch_first=True)
    times = pad_sequence([s["seconds"] for s in samples], batch_first=True)
    lengths = torch.tensor([len(s["frames"]) for s in samples])
    labels = torch.tensor([s["species"] for s in samples])
    return feats, times, lengths, labels


class BurstClassifier(nn.Module):
    def __init__(self, feat_dim=256, dim=64, heads=4, n_species=30):
        super().__init__()
        self.heads = heads
        self.proj = nn.Linear(feat_dim, dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.cls = nn.Linear(dim, n_species)

    def burst_mask(self, times, lengths):
        n, length = times.shape
        pad = torch.arange(length, device=times.device)[None, :] >= lengths[:, None]
        far = (times[:, :, None] - times[:, None, :]).abs() > MAX_GAP_S
        blocked = far | pad[:, None, :]
        blocked &= ~torch.eye(length, dtype=torch.bool, device=times.device)
        # MHA indexes 3-D masks as batch * heads + head
        return blocked.repeat_interleave(self.heads, dim=0)

    def forward(self, feats, times, lengths):
        x = self.proj(feats)
        mask = self.burst_mask(times, lengths)
        h, _ = self.attn(x, x, x, attn_mask=mask)
        h = self.norm(x + h)
        valid = (torch.arange(h.size(1))[None, :] < lengths[:, None]).unsqueeze(-1)
        pooled = (h * valid).sum(1) / lengths[:, None]
        return self.cls(pooled)
