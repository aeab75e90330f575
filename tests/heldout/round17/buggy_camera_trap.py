"""Species classification for camera-trap trigger bursts.

A PIR trigger yields 1-10 frames; frames are embedded by the image backbone
offline, and bursts are padded together by `collate_bursts`. Frames far apart in
time (the camera re-arms mid-burst) are kept from attending to each other.
"""
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
        return blocked.repeat(self.heads, 1, 1)

    def forward(self, feats, times, lengths):
        x = self.proj(feats)
        mask = self.burst_mask(times, lengths)
        h, _ = self.attn(x, x, x, attn_mask=mask)  # expect: ML302
        h = self.norm(x + h)
        valid = (torch.arange(h.size(1))[None, :] < lengths[:, None]).unsqueeze(-1)
        pooled = (h * valid).sum(1) / lengths[:, None]
        return self.cls(pooled)


if __name__ == "__main__":
    batch = collate_bursts([
        {"frames": torch.randn(3, 256), "seconds": torch.tensor([0.0, 0.5, 1.0]), "species": 2},
        {"frames": torch.randn(6, 256), "seconds": torch.arange(6.0) * 2, "species": 7},
    ])
    print(BurstClassifier()(*batch[:3]).shape)
