"""Point-cloud encoder: self-attention with a learned, per-sample distance bias."""
import torch
import torch.nn as nn


class DistanceBias(nn.Module):
    """Maps pairwise point distances to an additive attention bias (one value per pair)."""

    def __init__(self, hidden=16):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(1, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, xyz):
        dist = torch.cdist(xyz, xyz).unsqueeze(-1)  # (N, L, L, 1)
        return self.mlp(dist).squeeze(-1)           # (N, L, L)


class PointTransformerLayer(nn.Module):
    def __init__(self, d_model=32, num_heads=4, dropout=0.0):
        super().__init__()
        self.num_heads = num_heads
        self.attn = nn.MultiheadAttention(d_model, num_heads, dropout=dropout, batch_first=True)
        self.norm = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.GELU(), nn.Linear(2 * d_model, d_model))

    def forward(self, x, bias, pad_mask):
        # bias: (N, L, L) float; pad_mask: (N, L) True for padded points
        attn_mask = bias.repeat_interleave(self.num_heads, dim=0)
        kpm = torch.zeros_like(pad_mask, dtype=x.dtype).masked_fill(pad_mask, float("-inf"))
        h = self.norm(x)
        out, _ = self.attn(h, h, h, attn_mask=attn_mask, key_padding_mask=kpm, need_weights=False)
        x = x + out
        return x + self.ff(self.norm(x))


class PointCloudEncoder(nn.Module):
    def __init__(self, d_model=32, num_heads=4, depth=2, num_classes=10):
        super().__init__()
        self.embed = nn.Linear(3, d_model)
        self.bias = DistanceBias()
        self.layers = nn.ModuleList([PointTransformerLayer(d_model, num_heads) for _ in range(depth)])
        self.cls = nn.Linear(d_model, num_classes)

    def forward(self, xyz, pad_mask):
        x = self.embed(xyz)
        bias = self.bias(xyz)
        for layer in self.layers:
            x = layer(x, bias, pad_mask)
        keep = (~pad_mask).unsqueeze(-1).float()
        return self.cls((x * keep).sum(1) / keep.sum(1))
