import torch
import torch.nn as nn


class KeyDropoutSelfAttention(nn.Module):
    """Self-attention over set elements with random key dropout as a regulariser."""

    def __init__(self, embed_dim=8, num_heads=2, key_drop=0.5):
        super().__init__()
        self.key_drop = key_drop
        self.attn = nn.MultiheadAttention(embed_dim, num_heads, batch_first=True)
        self.norm = nn.LayerNorm(embed_dim)

    def forward(self, x, padding_mask):
        # padding_mask: (B, S) bool, True = padded element
        key_padding_mask = padding_mask
        if self.training and self.key_drop > 0:
            dropped = torch.rand(padding_mask.shape, device=x.device) < self.key_drop
            key_padding_mask = padding_mask | dropped  # BUG: a sample can lose every key
        out, weights = self.attn(x, x, x, key_padding_mask=key_padding_mask, need_weights=True)  # BUG: fully masked rows -> NaN
        return self.norm(x + out), weights


def run():
    torch.manual_seed(1)
    layer = KeyDropoutSelfAttention()
    layer.train()
    x = torch.randn(2, 5, 8)
    padding_mask = torch.tensor([[False] * 5, [False] * 2 + [True] * 3])
    out, _ = layer(x, padding_mask)
    return out

