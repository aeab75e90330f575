"""Style encoder for few-shot font generation: strokes of the reference
glyphs attend to the other strokes of the same glyph."""
import torch
import torch.nn as nn

from .masks import per_head, same_glyph_block


class StrokeLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, block):
        y, _ = self.attn(x, x, x, attn_mask=per_head(block, self.heads))  # expect: ML302
        x = x + y
        return x + self.ff(x)


class StrokeEncoder(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2):
        super().__init__()
        self.inp = nn.Linear(8, dim)  # bezier control points
        self.layers = nn.ModuleList(StrokeLayer(dim, heads) for _ in range(depth))

    def forward(self, strokes, glyph_ids):
        block = same_glyph_block(glyph_ids)
        x = self.inp(strokes)
        for layer in self.layers:
            x = layer(x, block)
        return x.mean(1)
