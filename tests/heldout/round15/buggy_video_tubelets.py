"""Video classifier over tubelet tokens with factorised (same-frame / same-location) attention.

Clips have different numbers of frames; shorter clips are padded with empty tubelets. A token
may attend to tokens of its own time slice or its own spatial location, and never to padding.
"""
import torch
from torch import nn


class TubeletEmbed(nn.Module):
    def __init__(self, dim, t=2, p=4, ch=3):
        super().__init__()
        self.proj = nn.Conv3d(ch, dim, (t, p, p), (t, p, p))

    def forward(self, video):  # (B, C, T, H, W)
        x = self.proj(video)
        B, D, t, h, w = x.shape
        return x.flatten(2).transpose(1, 2), (t, h, w)


def factorised_mask(grid, n_valid_slices, device=None):
    """(B, L, L) bool, True = blocked."""
    t, h, w = grid
    idx = torch.arange(t * h * w, device=device)
    tt, ss = idx // (h * w), idx % (h * w)
    allowed = (tt[:, None] == tt[None, :]) | (ss[:, None] == ss[None, :])
    valid_key = tt[None, :] < n_valid_slices[:, None]  # (B, L)
    blocked = ~(allowed[None] & valid_key[:, None, :])
    eye = torch.eye(idx.numel(), dtype=torch.bool, device=device)
    return blocked & ~eye  # padded tubelets keep themselves so no row is empty


class VideoTransformer(nn.Module):
    def __init__(self, n_classes=10, dim=64, heads=4, depth=2, tubelet_t=2):
        super().__init__()
        self.heads = heads
        self.tubelet_t = tubelet_t
        self.embed = TubeletEmbed(dim, t=tubelet_t)
        self.pos = nn.Parameter(torch.randn(1, 256, dim) * 0.02)
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads, batch_first=True) for _ in range(depth))
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.cls = nn.Linear(dim, n_classes)

    def forward(self, video, n_frames):
        x, grid = self.embed(video)
        x = x + self.pos[:, : x.size(1)]
        n_slices = (n_frames + self.tubelet_t - 1) // self.tubelet_t
        mask = factorised_mask(grid, n_slices, device=x.device)
        mask = mask.repeat(self.heads, 1, 1)  # expect: ML302
        for attn, ln in zip(self.attn, self.ln):
            h = ln(x)
            x = x + attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        t, hh, ww = grid
        keep = (torch.arange(t, device=x.device)[None] < n_slices[:, None]).repeat_interleave(hh * ww, 1)
        return self.cls((x * keep[..., None]).sum(1) / keep.sum(1, keepdim=True))


if __name__ == "__main__":
    torch.manual_seed(0)
    n_frames = torch.tensor([8, 4, 6])
    video = torch.randn(3, 3, 8, 8, 8) * (torch.arange(8)[None, None, :, None, None] < n_frames[:, None, None, None, None])
    model = VideoTransformer()
    print("logits", model(video, n_frames).shape)
