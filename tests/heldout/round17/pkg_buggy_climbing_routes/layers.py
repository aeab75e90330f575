import torch.nn as nn


class HoldAttention(nn.Module):
    """Self-attention between holds that are within reach in the sorted route."""

    def __init__(self, dim, heads, dropout=0.1):
        super().__init__()
        self.mha = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
        self.norm2 = nn.LayerNorm(dim)

    def forward(self, x, window):
        h = self.norm(x)
        y, _ = self.mha(h, h, h, attn_mask=window, is_causal=True, need_weights=False)  # expect: ML402
        x = x + y
        return x + self.ff(self.norm2(x))
