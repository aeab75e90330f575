from torch import nn


class Block(nn.Module):
    def __init__(self, dim, heads, dropout=0.1):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.ReLU(), nn.Dropout(dropout), nn.Linear(4 * dim, dim))

    def forward(self, x, pad=None):
        h = self.ln1(x)
        h, _ = self.attn(h, h, h, key_padding_mask=pad, need_weights=False)  # expect: ML401
        x = x + h
        return x + self.mlp(self.ln2(x))
