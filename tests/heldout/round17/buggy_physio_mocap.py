"""Motion continuation for physiotherapy exercise demonstrations.

Marker-based mocap is retargeted to a 24-joint skeleton (6-D rotations); the
model continues a clinician's recorded repetition so the app can show a smooth
loop at the patient's tempo.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from einops import rearrange

JOINTS, ROT = 24, 6


class PoseAttention(nn.Module):
    def __init__(self, dim, heads, dropout=0.1):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.to_qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x):
        q, k, v = rearrange(self.to_qkv(x), "b t (three h d) -> three b h t d", three=3, h=self.heads)
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.dropout if self.training else 0.0)  # expect: ML401
        return self.to_out(rearrange(y, "b h t d -> b t (h d)"))


class PoseBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.attn = PoseAttention(dim, heads)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)

    def forward(self, x):
        x = x + self.attn(self.n1(x))
        return x + self.mlp(self.n2(x))


class MotionGPT(nn.Module):
    def __init__(self, dim=96, heads=4, depth=3, max_frames=240):
        super().__init__()
        self.inp = nn.Linear(JOINTS * ROT + 3, dim)       # rotations + root velocity
        self.pos = nn.Parameter(torch.zeros(1, max_frames, dim))
        self.blocks = nn.Sequential(*[PoseBlock(dim, heads) for _ in range(depth)])
        self.out = nn.Linear(dim, JOINTS * ROT + 3)

    def forward(self, frames):
        # frames: (batch, time, joints*6 + 3)
        x = self.inp(frames) + self.pos[:, : frames.size(1)]
        return self.out(self.blocks(x))

    def training_loss(self, frames):
        pred = self(frames[:, :-1])
        return F.mse_loss(pred, frames[:, 1:])

    @torch.no_grad()
    def continue_motion(self, seed, n_frames):
        frames = seed
        for _ in range(n_frames):
            frames = torch.cat([frames, self(frames)[:, -1:]], dim=1)
        return frames


if __name__ == "__main__":
    gpt = MotionGPT().eval()
    print(gpt.continue_motion(torch.randn(1, 8, JOINTS * ROT + 3), 4).shape)
