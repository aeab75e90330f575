"""A RoFormer-style causal LM four modules deep; rotary embeddings interleave the pairs of
each head dimension with stack/flatten, and the mask it builds is the padding mask only."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def rotate_interleaved(x, sin, cos):
    even, odd = x[..., 0::2], x[..., 1::2]
    return torch.stack([even * cos - odd * sin, even * sin + odd * cos], dim=-1).flatten(-2)


class SelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.query = nn.Linear(dim, dim)
        self.key = nn.Linear(dim, dim)
        self.value = nn.Linear(dim, dim)

    def forward(self, hidden, bias, sin, cos):
        b, n, _ = hidden.shape
        split = (b, n, self.heads, self.head_dim)
        q = rotate_interleaved(self.query(hidden).view(split).transpose(1, 2), sin, cos)
        k = rotate_interleaved(self.key(hidden).view(split).transpose(1, 2), sin, cos)
        v = self.value(hidden).view(split).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / self.head_dim ** 0.5
        scores = scores + bias  # expect: ML401
        return (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, n, -1)


class Layer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.attention = SelfAttention(dim, heads)
        self.norm = nn.LayerNorm(dim)

    def forward(self, hidden, bias, sin, cos):
        return self.norm(hidden + self.attention(hidden, bias, sin, cos))


class Backbone(nn.Module):
    def __init__(self, vocab, dim, heads, depth):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList([Layer(dim, heads) for _ in range(depth)])
        self.head_dim = dim // heads

    def forward(self, ids, attention_mask):
        n = ids.size(1)
        freqs = torch.arange(n)[:, None] / 10000 ** (torch.arange(0, self.head_dim, 2)[None, :] / self.head_dim)
        sin, cos = freqs.sin(), freqs.cos()
        keep = attention_mask[:, None, None, :].bool()
        bias = torch.zeros(keep.shape).masked_fill(~keep, torch.finfo(torch.float32).min)
        hidden = self.embed(ids)
        for layer in self.layers:
            hidden = layer(hidden, bias, sin, cos)
        return hidden


class ForCausalLM(nn.Module):
    def __init__(self, vocab=64, dim=32, heads=4, depth=2):
        super().__init__()
        self.backbone = Backbone(vocab, dim, heads, depth)
        self.lm_head = nn.Linear(dim, vocab)

    def forward(self, ids, attention_mask, labels=None):
        logits = self.lm_head(self.backbone(ids, attention_mask))
        if labels is None:
            return logits
        return F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), labels[:, 1:].reshape(-1))
