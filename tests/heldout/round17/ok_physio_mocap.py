"""Motion continuation and exercise recognition for physiotherapy mocap."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from einops import rearrange

JOINTS, ROT = 24, 6
EXERCISES = ("squat", "lunge", "bridge", "clamshell", "heel_raise", "shoulder_abduction")


class PoseAttention(nn.Module):
    def __init__(self, dim, heads, causal, dropout=0.1):
        super().__init__()
        self.heads, self.causal, self.dropout = heads, causal, dropout
        self.to_qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x):
        q, k, v = rearrange(self.to_qkv(x), "b t (three h d) -> three b h t d", three=3, h=self.heads)
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.dropout if self.training else 0.0,
                                           is_causal=self.causal)
        return self.to_out(rearrange(y, "b h t d -> b t (h d)"))


class PoseBlock(nn.Module):
    def __init__(self, dim, heads, causal):
        super().__init__()
        self.attn = PoseAttention(dim, heads, causal)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)

    def forward(self, x):
        x = x + self.attn(self.n1(x))
        return x + self.mlp(self.n2(x))


class MotionGPT(nn.Module):
    def __init__(self, dim=96, heads=4, depth=3, max_frames=240):
        super().__init__()
        self.inp = nn.Linear(JOINTS * ROT + 3, dim)
        self.pos = nn.Parameter(torch.zeros(1, max_frames, dim))
        self.blocks = nn.Sequential(*[PoseBlock(dim, heads, causal=True) for _ in range(depth)])
        self.out = nn.Linear(dim, JOINTS * ROT + 3)

    def forward(self, frames):
        x = self.inp(frames) + self.pos[:, : frames.size(1)]
        return self.out(self.blocks(x))

    def training_loss(self, frames):
        return F.mse_loss(self(frames[:, :-1]), frames[:, 1:])


class ExerciseRecognizer(nn.Module):
    """Whole-clip classifier: every frame may look at the full repetition."""

    def __init__(self, dim=96, heads=4, depth=2, max_frames=240):
        super().__init__()
        self.inp = nn.Linear(JOINTS * ROT + 3, dim)
        self.pos = nn.Parameter(torch.zeros(1, max_frames, dim))
        self.blocks = nn.Sequential(*[PoseBlock(dim, heads, causal=False) for _ in range(depth)])
        self.cls = nn.Linear(dim, len(EXERCISES))

    def forward(self, frames):
        x = self.blocks(self.inp(frames) + self.pos[:, : frames.size(1)])
        return self.cls(x.mean(1))
