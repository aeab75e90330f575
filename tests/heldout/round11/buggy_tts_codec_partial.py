"""Autoregressive acoustic-token decoder for TTS (codec tokens, one codebook)."""
from functools import partial

import torch
import torch.nn as nn
import torch.nn.functional as F


class CodecDecoderLayer(nn.Module):
    def __init__(self, dim, heads, dropout=0.0):
        super().__init__()
        self.heads = heads
        self.attend = partial(F.scaled_dot_product_attention, dropout_p=dropout, is_causal=True)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.mlp = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.norm = nn.LayerNorm(dim)

    def forward(self, x, pad_bias):
        B, T, D = x.shape
        q, k, v = self.qkv(self.norm(x)).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = self.attend(q, k, v, attn_mask=pad_bias)  # expect: ML403
        x = x + self.out(y.transpose(1, 2).reshape(B, T, D))
        return x + self.mlp(x)


class CodecLM(nn.Module):
    def __init__(self, n_codes=1024, dim=192, heads=6, depth=3):
        super().__init__()
        self.tok = nn.Embedding(n_codes + 1, dim)
        self.layers = nn.ModuleList(CodecDecoderLayer(dim, heads) for _ in range(depth))
        self.logits = nn.Linear(dim, n_codes)

    def forward(self, codes, lengths):
        T = codes.size(1)
        valid = torch.arange(T, device=codes.device)[None, :] < lengths[:, None]
        pad_bias = torch.where(valid, 0.0, float("-inf"))[:, None, None, :]
        x = self.tok(codes)
        for layer in self.layers:
            x = layer(x, pad_bias)
        return self.logits(x)


if __name__ == "__main__":
    model = CodecLM()
    codes = torch.randint(0, 1024, (3, 75))
    lengths = torch.tensor([75, 60, 33])
    logits = model(codes[:, :-1], lengths - 1)
    print(logits.shape, torch.isfinite(logits).all().item())
