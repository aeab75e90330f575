"""Precipitation nowcasting: autoregressive rollout over tokenised radar frames."""
import torch
import torch.nn as nn


class FrameAttention(nn.Module):
    def __init__(self, dim, heads, is_causal=True):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.is_causal = is_causal

    def forward(self, x):
        out, _ = self.attn(x, x, x, need_weights=False, is_causal=self.is_causal)  # BUG: is_causal hint with no attn_mask: MHA needs a mask, and runs unmasked on the eval fast path
        return out


class NowcastBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = FrameAttention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class RadarNowcaster(nn.Module):
    def __init__(self, grid=8, dim=32, heads=4, depth=2, max_frames=16):
        super().__init__()
        self.patch = nn.Linear(grid * grid, dim)
        self.time = nn.Parameter(torch.randn(max_frames, dim) * 0.02)
        self.blocks = nn.Sequential(*[NowcastBlock(dim, heads) for _ in range(depth)])
        self.head = nn.Linear(dim, grid * grid)

    def forward(self, frames):
        B, T, H, W = frames.shape
        x = self.patch(frames.flatten(2)) + self.time[:T]
        return self.head(self.blocks(x)).view(B, T, H, W)

    @torch.no_grad()
    def rollout(self, context, steps):
        frames = context
        for _ in range(steps):
            nxt = self(frames)[:, -1:]
            frames = torch.cat([frames, nxt], dim=1)
        return frames[:, context.size(1):]


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RadarNowcaster().eval()
    context = torch.rand(2, 6, 8, 8)
    with torch.no_grad():
        recon = model(context)
    future = model.rollout(context, 3)
    print("recon", round(recon[:, :-1].mean().item(), 5), "rollout", round(future.mean().item(), 5))
