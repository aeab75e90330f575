"""Defect-pattern classifier for semiconductor wafer bin maps (selectable kernel)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PATTERNS = ("none", "center", "donut", "edge_loc", "edge_ring", "loc", "near_full", "scratch", "random")


class DieMixer(nn.Module):
    def __init__(self, dim, heads, impl="sdpa"):
        super().__init__()
        self.impl, self.heads = impl, heads
        self.variants = nn.ModuleDict({
            "sdpa": nn.Linear(dim, 3 * dim),
            "torch": nn.MultiheadAttention(dim, heads, batch_first=True),
        })
        self.proj = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x, off_wafer):
        h = self.norm(x)
        if self.impl == "torch":
            y, _ = self.variants["torch"](h, h, h, key_padding_mask=off_wafer)
        else:
            b, n, d = h.shape
            q, k, v = self.variants["sdpa"](h).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            on_wafer = ~off_wafer[:, None, None, :]      # (batch, 1, 1, dies), True = attend
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=on_wafer)
            y = y.transpose(1, 2).reshape(b, n, d)
        return x + self.proj(y)


class WaferMapClassifier(nn.Module):
    def __init__(self, dim=64, heads=4, depth=2, grid=16, impl="sdpa"):
        super().__init__()
        self.bin = nn.Embedding(8, dim)
        self.polar = nn.Linear(3, dim)
        self.mixers = nn.ModuleList(DieMixer(dim, heads, impl) for _ in range(depth))
        self.head = nn.Linear(dim, len(PATTERNS))
        ys, xs = torch.meshgrid(torch.arange(grid), torch.arange(grid), indexing="ij")
        cx = (grid - 1) / 2
        r = torch.hypot(ys - cx, xs - cx).flatten() / (grid / 2)
        theta = torch.atan2(ys - cx, xs - cx).flatten()
        self.register_buffer("polar_feat", torch.stack([r, theta.sin(), theta.cos()], -1))
        self.register_buffer("off_grid", r > 1.0)

    def forward(self, bins):
        off = self.off_grid.expand(bins.size(0), -1)
        x = self.bin(bins) + self.polar(self.polar_feat)
        for m in self.mixers:
            x = m(x, off)
        on = (~off).unsqueeze(-1).float()
        return self.head((x * on).sum(1) / on.sum(1))
