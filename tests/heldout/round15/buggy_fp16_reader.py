"""Extractive QA reader (start/end span heads) meant to run in float16 for throughput.

The encoder is written out by hand so that the attention scores can be exported for the
evidence-highlighting UI.
"""
import math

import torch
from torch import nn


class ReaderLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.dk = heads, dim // heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, attention_mask):
        B, L, _ = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.heads, self.dk).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dk)
        scores = scores.masked_fill(attention_mask[:, None, None, :] == 0, -1e9)  # expect: ML205
        probs = scores.softmax(-1)
        self.last_probs = probs.detach()
        ctx = (probs @ v).transpose(1, 2).reshape(B, L, -1)
        x = self.ln1(x + self.o(ctx))
        return self.ln2(x + self.ff(x))


class SpanReader(nn.Module):
    def __init__(self, vocab=1000, dim=64, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(256, dim)
        self.layers = nn.ModuleList(ReaderLayer(dim, heads) for _ in range(depth))
        self.span = nn.Linear(dim, 2)

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        for layer in self.layers:
            x = layer(x, attention_mask)
        start, end = self.span(x).unbind(-1)
        return start, end


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SpanReader().eval()
    ids = torch.randint(1, 1000, (2, 20))
    am = torch.ones(2, 20, dtype=torch.long)
    am[1, 14:] = 0
    with torch.no_grad():
        s, e = model(ids, am)
        print("fp32 best start", s.argmax(-1).tolist())
        try:
            s, e = model.half()(ids, am)
            print("fp16 best start", s.argmax(-1).tolist())
        except RuntimeError as err:
            print("fp16 forward failed:", err)
