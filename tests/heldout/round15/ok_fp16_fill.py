"""Half-precision passage encoder for a dense retriever (hand-written attention kept for
attention-score export)."""
import math

import torch
from torch import nn


class HalfSafeAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h, self.dk = heads, dim // heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, attention_mask):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, self.dk).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(self.dk)
        pad = attention_mask[:, None, None, :] == 0
        scores = scores.masked_fill(pad, torch.finfo(scores.dtype).min)
        probs = scores.float().softmax(-1).to(v.dtype)
        return self.o((probs @ v).transpose(1, 2).reshape(B, L, D))


class PassageEncoder(nn.Module):
    def __init__(self, vocab=1000, dim=64, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.attn = nn.ModuleList(HalfSafeAttention(dim, heads) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        for attn, norm in zip(self.attn, self.norm):
            x = norm(x + attn(x, attention_mask))
        m = attention_mask[..., None].to(x.dtype)
        return (x * m).sum(1) / m.sum(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = PassageEncoder().eval()
    ids = torch.randint(0, 1000, (2, 12))
    am = torch.ones(2, 12, dtype=torch.long)
    am[0, 7:] = 0
    with torch.no_grad():
        e32 = enc(ids, am)
        e16 = enc.half()(ids, am)
    print("fp16 vs fp32 max diff", (e16.float() - e32).abs().max().item())
