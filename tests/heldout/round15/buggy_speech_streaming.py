"""Chunk-wise streaming conformer-lite encoder.

Frames are grouped into fixed-size chunks; a frame may look at every frame of its own chunk and
of earlier chunks, so latency is bounded by one chunk.
"""
import warnings

import torch
from torch import nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")


def chunked_block_mask(n_frames: int, chunk: int, device="cpu"):
    def chunk_visible(b, h, q_idx, kv_idx):
        return (q_idx // chunk) < (kv_idx // chunk)  # expect: ML102

    return create_block_mask(chunk_visible, None, None, n_frames, n_frames, device=device)


class StreamingMHSA(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, block_mask):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=block_mask)
        return self.out(y.transpose(1, 2).reshape(B, T, D))


class ConvModule(nn.Module):
    def __init__(self, dim, kernel=7):
        super().__init__()
        # causal depthwise conv: left padding only
        self.pad = kernel - 1
        self.dw = nn.Conv1d(dim, dim, kernel, groups=dim)
        self.pw = nn.Linear(dim, dim)

    def forward(self, x):
        y = nn.functional.pad(x.transpose(1, 2), (self.pad, 0))
        return self.pw(torch.nn.functional.silu(self.dw(y)).transpose(1, 2))


class StreamingEncoder(nn.Module):
    def __init__(self, n_mels=40, dim=64, heads=4, layers=2, chunk=4):
        super().__init__()
        self.chunk = chunk
        self.inp = nn.Linear(n_mels, dim)
        self.attn = nn.ModuleList(StreamingMHSA(dim, heads) for _ in range(layers))
        self.conv = nn.ModuleList(ConvModule(dim) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(2 * layers))

    def forward(self, feats):
        x = self.inp(feats)
        bm = chunked_block_mask(x.size(1), self.chunk, device=x.device)
        for i, (attn, conv) in enumerate(zip(self.attn, self.conv)):
            x = x + attn(self.norms[2 * i](x), bm)
            x = x + conv(self.norms[2 * i + 1](x))
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = StreamingEncoder()
    feats = torch.randn(2, 16, 40)
    with torch.no_grad():  # flex_attention has no CPU backward; the smoke run is inference only
        print("encoded", enc(feats).shape)
