"""Point Cloud Transformer (PCT) offset-attention, run in float16 for
inference on large LiDAR sweeps.  Sweeps in a batch have different numbers of
returns; invalid returns are masked out of the attention."""
import torch
import torch.nn as nn


class OffsetAttention(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.q = nn.Conv1d(ch, ch // 4, 1, bias=False)
        self.k = nn.Conv1d(ch, ch // 4, 1, bias=False)
        self.v = nn.Conv1d(ch, ch, 1)
        self.trans = nn.Conv1d(ch, ch, 1)
        self.bn = nn.BatchNorm1d(ch)

    def forward(self, x, valid):
        # x: (B, C, N); valid: (B, N) bool, True = real LiDAR return
        q = self.q(x).permute(0, 2, 1)
        k = self.k(x)
        energy = torch.bmm(q, k)  # (B, N, N)
        energy = energy.masked_fill(~valid[:, None, :], -1e9)  # expect: ML205
        attn = energy.softmax(dim=-1)
        attn = attn / (1e-6 + attn.sum(dim=1, keepdim=True))  # PCT's double normalisation
        xr = torch.bmm(self.v(x), attn)
        return x + torch.relu(self.bn(self.trans(x - xr)))


class PCTEncoder(nn.Module):
    def __init__(self, ch=64, classes=6):
        super().__init__()
        self.embed = nn.Sequential(nn.Conv1d(4, ch, 1), nn.BatchNorm1d(ch), nn.ReLU())
        self.sa = nn.ModuleList(OffsetAttention(ch) for _ in range(2))
        self.seg = nn.Conv1d(ch, classes, 1)

    def forward(self, points, valid):
        x = self.embed(points.transpose(1, 2))
        for sa in self.sa:
            x = sa(x, valid)
        return self.seg(x).transpose(1, 2)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PCTEncoder().eval().half()
    pts = torch.randn(2, 256, 4).half()  # x, y, z, intensity
    valid = torch.ones(2, 256, dtype=torch.bool)
    valid[1, 180:] = False
    try:
        with torch.no_grad():
            out = model(pts, valid)
        print("NaN:", torch.isnan(out).any().item())
    except RuntimeError as e:
        print("FAILURE SHOWN:", e)
