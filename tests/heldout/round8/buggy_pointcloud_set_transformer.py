"""Set Transformer (ISAB + PMA) classifier for object point clouds that have a
different number of points per scan (zero padded to the largest scan)."""
import torch
import torch.nn as nn


class MAB(nn.Module):
    """Multihead attention block: Q attends to K (Lee et al., 2019)."""

    def __init__(self, dim, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln0, self.ln1 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, dim))

    def forward(self, q, k, key_pad=None):
        h = self.ln0(q + self.attn(q, k, k, key_padding_mask=key_pad, need_weights=False)[0])
        return self.ln1(h + self.ff(h))


class ISAB(nn.Module):
    def __init__(self, dim, heads, num_inducing):
        super().__init__()
        self.I = nn.Parameter(torch.randn(1, num_inducing, dim) * 0.1)
        self.mab0, self.mab1 = MAB(dim, heads), MAB(dim, heads)

    def forward(self, x, key_pad=None):
        h = self.mab0(self.I.expand(x.size(0), -1, -1), x, key_pad)
        return self.mab1(x, h)


class PMA(nn.Module):
    def __init__(self, dim, heads, seeds=1):
        super().__init__()
        self.S = nn.Parameter(torch.randn(1, seeds, dim) * 0.1)
        self.mab = MAB(dim, heads)

    def forward(self, x, key_pad=None):
        return self.mab(self.S.expand(x.size(0), -1, -1), x, key_pad)


class SetEncoder(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.isabs = nn.ModuleList([ISAB(dim, heads, 16), ISAB(dim, heads, 16)])
        self.pool = PMA(dim, heads)

    def forward(self, x, key_pad=None):
        for isab in self.isabs:
            x = isab(x, key_pad)
        return self.pool(x, key_pad).squeeze(1)


class SetTransformerClassifier(nn.Module):
    def __init__(self, dim=64, heads=4, classes=10):
        super().__init__()
        self.embed = nn.Linear(3, dim)
        self.set_encoder = SetEncoder(dim, heads)
        self.head = nn.Linear(dim, classes)

    def forward(self, points, counts):
        N = points.size(1)
        pad = (torch.arange(N, device=points.device)[None] >= counts[:, None]).to(points.dtype)
        z = self.set_encoder(
            self.embed(points),
            key_pad=pad,  # expect: ML201
        )
        return self.head(z)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SetTransformerClassifier().eval()
    pts = torch.randn(2, 100, 3)
    counts = torch.tensor([100, 60])
    pts[1, 60:] = 0.0
    with torch.no_grad():
        a = model(pts, counts)
        alone = model(pts[1:, :60], counts[1:])
    d = (a[1] - alone[0]).abs().max().item()
    print("scan 1 logits: padded batch vs unpadded:", d)
    assert d > 1e-4
    print("FAILURE SHOWN: zero-padded points still take part in attention")
