"""Stitch-chart generator for lace knitting patterns (additive causal buffer)."""
import torch
import torch.nn as nn

STITCHES = ("pad", "k", "p", "yo", "k2tog", "ssk", "sk2p", "c4f", "c4b", "no_stitch", "eol")


class ChartPositionMixin:
    def chart_positions(self, row_idx, col_idx):
        return self.row_emb(row_idx) + self.col_emb(col_idx)


class LaceBlock(nn.Module):
    def __init__(self, dim, heads, max_cells):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, dropout=0.1, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        seen = torch.tril(torch.ones(max_cells, max_cells))
        self.register_buffer("future_bias", torch.zeros_like(seen).masked_fill(seen == 0, float("-inf")))

    def forward(self, x):
        n = x.size(1)
        h = self.n1(x)
        a, _ = self.attn(h, h, h, attn_mask=self.future_bias[:n, :n], need_weights=False)
        x = x + a
        return x + self.ff(self.n2(x))


class LaceChartModel(ChartPositionMixin, nn.Module):
    def __init__(self, dim=64, heads=4, depth=2, max_rows=64, max_cols=64, max_cells=1024):
        super().__init__()
        self.stitch = nn.Embedding(len(STITCHES), dim)
        self.row_emb = nn.Embedding(max_rows, dim)
        self.col_emb = nn.Embedding(max_cols, dim)
        self.blocks = nn.ModuleList(LaceBlock(dim, heads, max_cells) for _ in range(depth))
        self.head = nn.Linear(dim, len(STITCHES))

    def forward(self, stitches, row_idx, col_idx):
        x = self.stitch(stitches) + self.chart_positions(row_idx, col_idx)
        for block in self.blocks:
            x = block(x)
        return self.head(x)
