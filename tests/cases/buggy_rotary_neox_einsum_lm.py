"""GPT-NeoX-style halves rotary inside the attention module, einsum scores, and a key padding
mask as the only masking step of a next-token model."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def rotary(x, cos, sin):
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat((x1 * cos - x2 * sin, x2 * cos + x1 * sin), dim=-1)


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, cos, sin, pad):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, d // self.heads).unbind(2)
        q, k = rotary(q, cos, sin), rotary(k, cos, sin)
        sim = torch.einsum("bihd,bjhd->bhij", q, k) * (d // self.heads) ** -0.5
        sim = sim.masked_fill(pad[:, None, None, :], float("-inf"))  # expect: ML401
        return torch.einsum("bhij,bjhd->bihd", sim.softmax(-1), v).reshape(b, t, d)


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)

    def forward(self, x, cos, sin, pad):
        return x + self.attn(self.ln(x), cos, sin, pad)


class NeoXLM(nn.Module):
    def __init__(self, vocab=80, dim=32, heads=4, depth=2, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.wte = nn.Embedding(vocab, dim, padding_idx=pad_id)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        self.out = nn.Linear(dim, vocab)
        self.rot = dim // heads // 2

    def forward(self, ids):
        t = ids.size(1)
        ang = torch.arange(t)[:, None, None] * torch.exp(-torch.arange(self.rot) / self.rot)[None, None, :]
        cos, sin = ang.cos(), ang.sin()
        pad = ids.eq(self.pad_id)
        x = self.wte(ids)
        for block in self.blocks:
            x = block(x, cos, sin, pad)
        return self.out(x)

    def loss(self, ids):
        logits = self(ids[:, :-1])
        return F.cross_entropy(logits.transpose(1, 2), ids[:, 1:], ignore_index=self.pad_id)
