"""Streaming acoustic encoder for on-device keyword spotting.

Each frame may only use frames that have already arrived, with an ALiBi
distance penalty instead of positional embeddings.
"""
import torch
from torch import nn


def alibi_slopes(n_heads):
    start = 2.0 ** (-8.0 / n_heads)
    return torch.tensor([start ** (i + 1) for i in range(n_heads)])


class FrameBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.SiLU(),
                                nn.Linear(2 * dim, dim))

    def forward(self, x, bias):
        h = self.norm(x)
        a, weights = self.attn(h, h, h, attn_mask=bias)
        x = x + a
        return x + self.ff(x), weights


class StreamingFrameEncoder(nn.Module):
    def __init__(self, n_mels=40, dim=64, heads=4, layers=2, n_keywords=12):
        super().__init__()
        self.heads = heads
        self.inp = nn.Linear(n_mels, dim)
        self.blocks = nn.ModuleList(FrameBlock(dim, heads) for _ in range(layers))
        self.cls = nn.Linear(dim, n_keywords)
        self.register_buffer("slopes", alibi_slopes(heads))

    def attn_bias(self, batch, frames):
        pos = torch.arange(frames, device=self.slopes.device)
        dist = (pos[None, :] - pos[:, None]).float()
        alibi = self.slopes[:, None, None] * dist[None]
        future = torch.triu(torch.full((frames, frames), float("-inf")), diagonal=0)  # expect: ML404
        bias = alibi + future.to(alibi.device)
        return bias.unsqueeze(0).expand(batch, -1, -1, -1).reshape(batch * self.heads, frames, frames)

    def forward(self, mels):
        x = self.inp(mels)
        bias = self.attn_bias(x.size(0), x.size(1))
        for block in self.blocks:
            x, _ = block(x, bias)
        return self.cls(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = StreamingFrameEncoder()
    frames = torch.randn(3, 50, 40)
    per_frame_logits = enc(frames)
    print(per_frame_logits.shape, per_frame_logits[:, -1].argmax(-1))
