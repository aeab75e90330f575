import torch.nn as nn


class AttnBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.ln = nn.LayerNorm(d)

    def forward(self, x, mask=None):
        y = self.ln(x)
        return x + self.attn(y, y, y, attn_mask=mask, need_weights=False)[0]


class Block(AttnBlock):
    def __init__(self, d, h):
        super().__init__(d, h)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, mask=None):
        x = super().forward(x, mask)
        return x + self.mlp(x)
