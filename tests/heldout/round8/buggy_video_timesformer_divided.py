"""TimeSformer-style divided space-time attention for clips with a variable
number of real frames (short clips are padded by repeating zeros).

Temporal attention runs over (B * P, T, D) sequences - one per spatial patch -
and must ignore padded frames."""
import torch
import torch.nn as nn


class DividedSpaceTimeBlock(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.t_norm, self.s_norm, self.m_norm = nn.LayerNorm(dim), nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.t_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.s_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, frame_valid):
        B, T, P, D = x.shape
        # temporal attention: every patch location attends over time
        xt = x.permute(0, 2, 1, 3).reshape(B * P, T, D)
        blocked = ~frame_valid[:, None, :].expand(B, T, T)  # (B, T, T)
        blocked = blocked.repeat_interleave(P, dim=0)  # (B*P, T, T)
        h = self.t_norm(xt)
        xt = xt + self.t_attn(
            h, h, h,
            attn_mask=blocked,  # expect: ML301
            need_weights=False,
        )[0]
        x = xt.view(B, P, T, D).permute(0, 2, 1, 3)
        # spatial attention inside each frame
        xs = x.reshape(B * T, P, D)
        h = self.s_norm(xs)
        xs = xs + self.s_attn(h, h, h, need_weights=False)[0]
        x = xs.view(B, T, P, D)
        return x + self.mlp(self.m_norm(x))


class TimeSformer(nn.Module):
    def __init__(self, num_classes=10, dim=64, patch=8, frames=8, img=32):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, patch, stride=patch)
        P = (img // patch) ** 2
        self.pos = nn.Parameter(torch.zeros(1, 1, P, dim))
        self.time = nn.Parameter(torch.zeros(1, frames, 1, dim))
        self.blocks = nn.ModuleList(DividedSpaceTimeBlock(dim) for _ in range(2))
        self.head = nn.Linear(dim, num_classes)

    def forward(self, video, num_frames):
        B, T = video.shape[:2]
        x = self.patch(video.flatten(0, 1)).flatten(2).transpose(1, 2)
        x = x.view(B, T, -1, x.size(-1)) + self.pos + self.time[:, :T]
        frame_valid = torch.arange(T, device=video.device)[None] < num_frames[:, None]
        for blk in self.blocks:
            x = blk(x, frame_valid)
        w = frame_valid[:, :, None, None].float()
        pooled = (x * w).sum((1, 2)) / (w.sum((1, 2)) * x.size(2))
        return self.head(pooled)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TimeSformer().eval()
    video = torch.randn(2, 8, 3, 32, 32)
    num_frames = torch.tensor([8, 5])
    try:
        with torch.no_grad():
            print(model(video, num_frames).shape)
    except (RuntimeError, AssertionError) as e:
        print("FAILURE SHOWN:", type(e).__name__, e)
