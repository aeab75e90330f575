import torch
import torch.nn as nn

from .masking import causal_padding_bias


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x, bias):
        n, s, d = x.shape
        q, k, v = self.qkv(x).view(n, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-1, -2)) * q.size(-1) ** -0.5
        scores = scores + bias  # expect: ML205
        return self.o((scores.softmax(-1) @ v).transpose(1, 2).reshape(n, s, d))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.n1, self.n2 = nn.RMSNorm(dim), nn.RMSNorm(dim)
        self.attn = Attention(dim, heads)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.SiLU(), nn.Linear(4 * dim, dim))

    def forward(self, x, bias):
        x = x + self.attn(self.n1(x), bias)
        return x + self.mlp(self.n2(x))


class TinyChatLM(nn.Module):
    def __init__(self, vocab=1000, dim=128, heads=4, depth=3, max_pos=256):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(max_pos, dim)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        self.norm = nn.RMSNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, attention_mask):
        position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        x = self.embed(input_ids) + self.pos(position_ids)
        bias = causal_padding_bias(attention_mask).to(x.dtype)
        for blk in self.blocks:
            x = blk(x, bias)
        return self.lm_head(self.norm(x))
