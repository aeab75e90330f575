import torch.nn as nn


class MaskedEncoderBlock(nn.Module):
    def __init__(self, dim, heads, dropout=0.0):
        super().__init__()
        self.sa = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, head_masks):
        y, _ = self.sa(x, x, x, attn_mask=head_masks)  # expect: ML302
        x = self.ln1(x + y)
        return self.ln2(x + self.ff(x))
