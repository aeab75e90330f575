"""Pre-norm attention block used by the k-mer encoder."""
from torch import nn


class KmerBlock(nn.Module):
    def __init__(self, dim: int, heads: int, dropout: float = 0.1):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, token_mask):
        h = self.norm1(x)
        h, _ = self.attn(h, h, h, key_padding_mask=token_mask, need_weights=False)  # expect: ML101
        x = x + h
        return x + self.mlp(self.norm2(x))
