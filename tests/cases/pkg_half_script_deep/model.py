from torch import nn

from .layers import SelfAttention


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn = SelfAttention(d, heads)
        self.norm = nn.LayerNorm(d)

    def forward(self, x, keep):
        return x + self.attn(self.norm(x), keep)


class Encoder(nn.Module):
    def __init__(self, d, heads, depth):
        super().__init__()
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(depth))

    def forward(self, h, keep):
        for blk in self.blocks:
            h = blk(h, keep)
        return h


class Tagger(nn.Module):
    def __init__(self, vocab=1000, d=64, heads=4, depth=2, tags=9):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.encoder = Encoder(d, heads, depth)
        self.out = nn.Linear(d, tags)

    def forward(self, ids):
        keep = ids != 0
        return self.out(self.encoder(self.emb(ids), keep))
