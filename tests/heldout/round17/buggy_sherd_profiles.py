"""Vessel-form classification from pottery sherd profiles.

Profiles are traced from rim to break on the scanned section drawing and
resampled to points (x, y, wall thickness). Fragments have different numbers of
points; short ones are padded at the end.
"""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

VESSEL_FORMS = ("bowl", "dish", "jar", "amphora", "cup", "lamp", "beaker", "unknown")


def padding_mask_mod(is_pad):
    def mask_mod(b, h, q_idx, kv_idx):
        return is_pad[b, kv_idx]
    return mask_mod


class ProfileBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, block_mask):
        b, n, d = x.shape
        q, k, v = self.qkv(self.n1(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=block_mask)  # expect: ML102
        x = x + self.o(y.transpose(1, 2).reshape(b, n, d))
        return x + self.ff(self.n2(x))


class SherdClassifier(nn.Module):
    def __init__(self, dim=64, heads=4, depth=2):
        super().__init__()
        self.point = nn.Linear(3, dim)
        self.arc = nn.Linear(1, dim)     # normalised arc length from the rim
        self.blocks = nn.ModuleList(ProfileBlock(dim, heads) for _ in range(depth))
        self.head = nn.Linear(dim, len(VESSEL_FORMS))

    def forward(self, points, lengths):
        b, n, _ = points.shape
        idx = torch.arange(n, device=points.device)
        is_pad = idx[None, :] >= lengths[:, None]
        arc = (idx[None, :] / lengths[:, None].clamp(min=1)).unsqueeze(-1)
        x = self.point(points) + self.arc(arc)
        block_mask = create_block_mask(padding_mask_mod(is_pad), b, None, n, n,
                                       device=str(points.device))
        for blk in self.blocks:
            x = blk(x, block_mask)
        keep = (~is_pad).unsqueeze(-1).float()
        return self.head((x * keep).sum(1) / keep.sum(1))


if __name__ == "__main__":
    with torch.no_grad():
        pts = torch.randn(2, 64, 3)
        print(SherdClassifier().eval()(pts, torch.tensor([64, 40])).shape)
