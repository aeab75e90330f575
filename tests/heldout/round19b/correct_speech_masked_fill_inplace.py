"""Speech encoder block: self-attention with a padding bias built in place."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.norm = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)

    def forward(self, x, pad):
        B, T, D = x.shape
        q, k, v = self.qkv(self.norm(x)).view(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        bias = torch.zeros(B, 1, 1, T, dtype=q.dtype, device=x.device)
        bias.masked_fill_(pad[:, None, None, :], float("-inf"))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.out(ctx.transpose(1, 2).reshape(B, T, D))


class DepthwiseConv(nn.Module):
    def __init__(self, d, kernel=15):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.pw_in = nn.Conv1d(d, 2 * d, 1)
        self.dw = nn.Conv1d(d, d, kernel, padding=kernel // 2, groups=d)
        self.pw_out = nn.Conv1d(d, d, 1)

    def forward(self, x, pad):
        y = self.norm(x)
        y.masked_fill_(pad.unsqueeze(-1), 0.0)
        y = F.glu(self.pw_in(y.transpose(1, 2)), dim=1)
        return self.pw_out(F.silu(self.dw(y))).transpose(1, 2)


class EncoderBlock(nn.Module):
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.attn = SelfAttention(d, heads)
        self.conv = DepthwiseConv(d)
        self.ff = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.SiLU(), nn.Linear(4 * d, d))
        self.final = nn.LayerNorm(d)

    def forward(self, x, lengths):
        pad = torch.arange(x.size(1), device=x.device).unsqueeze(0) >= lengths.unsqueeze(1)
        x = x + self.attn(x, pad)
        x = x + self.conv(x, pad)
        x = x + self.ff(x)
        return self.final(x)
