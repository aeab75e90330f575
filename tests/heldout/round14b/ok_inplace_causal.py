"""Two interchangeable decoder attention backends (reference eager vs. fused) for a code-completion model."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class EagerCausalAttention(nn.Module):
    """Reference implementation, kept for debugging numerics."""

    def __init__(self, dim, heads, max_len=256):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        keep = torch.ones(max_len, max_len, dtype=torch.bool)
        keep.tril_()
        self.register_buffer("keep", keep, persistent=False)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
        scores.masked_fill_(~self.keep[:T, :T], float("-inf"))
        y = scores.softmax(-1) @ v
        return self.proj(y.transpose(1, 2).reshape(B, T, D))


class FusedCausalAttention(nn.Module):
    def __init__(self, dim, heads, max_len=256):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        keep = torch.ones(max_len, max_len, dtype=torch.bool)
        keep.tril_()
        self.register_buffer("keep", keep, persistent=False)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=self.keep[:T, :T])
        return self.proj(y.transpose(1, 2).reshape(B, T, D))


class TorchMHACausalAttention(nn.Module):
    def __init__(self, dim, heads, max_len=256):
        super().__init__()
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)
        block = torch.ones(max_len, max_len, dtype=torch.bool)
        block.triu_(1)
        self.register_buffer("block", block, persistent=False)

    def forward(self, x):
        T = x.size(1)
        return self.mha(x, x, x, attn_mask=self.block[:T, :T], need_weights=False)[0]


BACKENDS = {"eager": EagerCausalAttention, "sdpa": FusedCausalAttention, "torch_mha": TorchMHACausalAttention}


class CodeCompletionModel(nn.Module):
    def __init__(self, vocab=800, dim=64, heads=4, layers=2, backend="sdpa"):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(256, dim)
        self.attn = nn.ModuleList(BACKENDS[backend](dim, heads) for _ in range(layers))
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(),
                                               nn.Linear(4 * dim, dim)) for _ in range(layers))
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids):
        x = self.tok(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        for ln, attn, mlp in zip(self.ln, self.attn, self.mlp):
            x = x + attn(ln(x))
            x = x + mlp(x)
        return self.head(x)


if __name__ == "__main__":
    ids = torch.randint(0, 800, (2, 20))
    outs = {}
    for name in BACKENDS:
        torch.manual_seed(0)
        outs[name] = CodeCompletionModel(backend=name).eval()(ids)
    print({k: tuple(v.shape) for k, v in outs.items()})
    print("eager vs sdpa max diff", (outs["eager"] - outs["sdpa"]).abs().max().item())
