import torch
import torch.nn as nn


class SpatialBiasEncoderLayer(nn.Module):
    """Self-attention over atoms with a learned per-pair distance bias (one (L, L) bias per molecule)."""

    def __init__(self, embed_dim=8, num_heads=2, num_rbf=4):
        super().__init__()
        self.num_heads = num_heads
        self.mha = nn.MultiheadAttention(embed_dim=embed_dim, num_heads=num_heads, batch_first=True)
        self.rbf_centers = nn.Parameter(torch.linspace(0.0, 3.0, num_rbf), requires_grad=False)
        self.bias_proj = nn.Linear(num_rbf, 1)
        self.norm = nn.LayerNorm(embed_dim)

    def forward(self, x, pos, key_padding_mask):
        # x: (N, L, E), pos: (N, L, 3), key_padding_mask: (N, L) bool, True = padded atom
        dist = torch.cdist(pos, pos)
        rbf = torch.exp(-(dist[..., None] - self.rbf_centers) ** 2)
        attn_bias = self.bias_proj(rbf).squeeze(-1)  # (N, L, L)
        attn_mask = attn_bias.repeat(self.num_heads, 1, 1)  # BUG: (N*H, L, L) ordered head-major
        out, _ = self.mha(x, x, x, key_padding_mask=key_padding_mask, attn_mask=attn_mask)  # BUG: per-sample bias mixed across samples
        return self.norm(x + out)


def run():
    layer = SpatialBiasEncoderLayer()
    x = torch.randn(2, 5, 8)
    pos = torch.randn(2, 5, 3)
    key_padding_mask = torch.tensor([[False] * 5, [False] * 3 + [True] * 2])
    layer.eval()
    with torch.no_grad():
        return layer(x, pos, key_padding_mask)
