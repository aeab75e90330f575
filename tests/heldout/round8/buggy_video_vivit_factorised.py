"""ViViT factorised-encoder variant: a spatial transformer summarises each frame
into a CLS token, then a temporal transformer (with its own CLS token) runs over
the frame tokens.  Clips shorter than the model's frame budget are padded."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class ViViTConfig:
    img: int = 32
    patch: int = 8
    frames: int = 8
    dim: int = 64
    heads: int = 4
    classes: int = 12


class TemporalBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, frame_mask):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, key_padding_mask=frame_mask, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class ViViT(nn.Module):
    def __init__(self, cfg: ViViTConfig):
        super().__init__()
        d = cfg.dim
        self.patch = nn.Conv2d(3, d, cfg.patch, stride=cfg.patch)
        n = (cfg.img // cfg.patch) ** 2
        self.space_cls = nn.Parameter(torch.zeros(1, 1, d))
        self.space_pos = nn.Parameter(torch.randn(1, n + 1, d) * 0.02)
        sl = nn.TransformerEncoderLayer(d, cfg.heads, 4 * d, dropout=0.0, batch_first=True, norm_first=True)
        self.space = nn.TransformerEncoder(sl, 2, enable_nested_tensor=False)
        self.time_cls = nn.Parameter(torch.zeros(1, 1, d))
        self.time_pos = nn.Parameter(torch.randn(1, cfg.frames + 1, d) * 0.02)
        self.time = nn.ModuleList(TemporalBlock(d, cfg.heads) for _ in range(2))
        self.head = nn.Linear(d, cfg.classes)

    def forward(self, clip, num_frames):
        B, T = clip.shape[:2]
        x = self.patch(clip.flatten(0, 1)).flatten(2).transpose(1, 2)
        x = torch.cat([self.space_cls.expand(x.size(0), -1, -1), x], 1) + self.space_pos
        frame_tok = self.space(x)[:, 0].view(B, T, -1)
        z = torch.cat([self.time_cls.expand(B, -1, -1), frame_tok], 1) + self.time_pos[:, : T + 1]
        frame_keep = torch.arange(T, device=clip.device)[None] < num_frames[:, None]
        keep = torch.cat([frame_keep.new_ones(B, 1), frame_keep], 1)
        for blk in self.time:
            z = blk(
                z,
                keep,  # expect: ML101
            )
        return self.head(z[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ViViT(ViViTConfig()).eval()
    clip = torch.randn(2, 8, 3, 32, 32)
    n = torch.tensor([8, 5])
    with torch.no_grad():
        a = model(clip, n)
        clip2 = clip.clone()
        clip2[1, 5:] = torch.randn(3, 3, 32, 32)  # different junk in the padded frames
        b = model(clip2, n)
    print("logits of full clip contain NaN:", torch.isnan(a[0]).any().item())
    print("short clip logits change with padded frames:", (a[1] - b[1]).abs().max().item())
    assert torch.isnan(a[0]).any() or (a[1] - b[1]).abs().max() > 1e-4
    print("FAILURE SHOWN: valid frames are masked out, padded frames attended")
