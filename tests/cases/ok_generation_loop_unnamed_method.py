"""A chord-progression model extended one step at a time by a method whose name says nothing
of generation: the loop picks the argmax at the last position and grows the sequence it feeds
back in.  Its SDPA is causal: correct."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ChordBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.out(y.transpose(1, 2).reshape(b, t, d))


class ChordPredictor(nn.Module):
    def __init__(self, n_chords=48, dim=32, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(n_chords, dim)
        self.blocks = nn.ModuleList(ChordBlock(dim, heads) for _ in range(depth))
        self.head = nn.Linear(dim, n_chords)

    def forward(self, chords):
        x = self.emb(chords)
        for blk in self.blocks:
            x = x + blk(x)
        return self.head(x)

    @torch.no_grad()
    def extend(self, chords, bars=4):
        for _ in range(bars):
            logits = self(chords)
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            chords = torch.cat([chords, nxt], dim=1)
        return chords
