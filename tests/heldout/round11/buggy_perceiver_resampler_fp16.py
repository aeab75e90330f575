"""Perceiver-style resampler: a fixed set of latents cross-attends to variable-length audio frames."""
import torch
import torch.nn as nn


class LatentCrossAttention(nn.Module):
    def __init__(self, dim, ctx_dim, heads=4):
        super().__init__()
        self.heads, self.scale = heads, (dim // heads) ** -0.5
        self.to_q = nn.Linear(dim, dim, bias=False)
        self.to_kv = nn.Linear(ctx_dim, 2 * dim, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, latents, context, context_keep):
        B, N, D = latents.shape
        q = self.to_q(latents).view(B, N, self.heads, -1).transpose(1, 2)
        k, v = self.to_kv(context).view(B, context.size(1), 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        sim = (q @ k.transpose(-1, -2)) * self.scale
        sim = sim.masked_fill(~context_keep[:, None, None, :], -1e9)  # expect: ML205
        attn = sim.softmax(-1)
        return self.to_out((attn @ v).transpose(1, 2).reshape(B, N, D))


class AudioResampler(nn.Module):
    def __init__(self, frame_dim=80, dim=128, num_latents=16, depth=2):
        super().__init__()
        self.latents = nn.Parameter(torch.randn(num_latents, dim) * 0.02)
        self.blocks = nn.ModuleList(LatentCrossAttention(dim, frame_dim) for _ in range(depth))
        self.ff = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, dim)) for _ in range(depth))

    def forward(self, frames, frame_lens):
        B, T, _ = frames.shape
        keep = torch.arange(T, device=frames.device)[None] < frame_lens[:, None]
        x = self.latents.expand(B, -1, -1)
        for attn, ff in zip(self.blocks, self.ff):
            x = x + attn(x, frames, keep)
            x = x + ff(x)
        return x


def half_dtype(device):
    return torch.float16 if device.type == "cuda" else torch.bfloat16


if __name__ == "__main__":
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    dt = half_dtype(device)
    model = AudioResampler().to(device, dt)
    frames = torch.randn(3, 250, 80, device=device, dtype=dt)
    lens = torch.tensor([250, 180, 40], device=device)
    with torch.no_grad():
        print(model(frames, lens).shape)
