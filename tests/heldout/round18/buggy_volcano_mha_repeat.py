"""Eruption-precursor classifier over a volcano's seismic station network.

Each event window holds one tremor feature vector (RSAM, frequency index,
dominant frequency, kurtosis) per station. Stations drop out (telemetry loss,
icing), so each window carries a per-station availability flag, and station
pairs further apart than the coherence distance are not allowed to exchange
information in the first layer.
"""
import torch
import torch.nn as nn


class StationGraphAttention(nn.Module):
    def __init__(self, d_model=32, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.mha = nn.MultiheadAttention(d_model, num_heads, batch_first=True)
        self.norm = nn.LayerNorm(d_model)

    def build_mask(self, available, dist_km, coherence_km):
        # available: (B, S) bool; dist_km: (S, S)
        far = dist_km > coherence_km                                 # (S, S)
        missing = ~available                                         # (B, S)
        blocked = far[None] | missing[:, None, :]                    # (B, S, S)
        blocked = blocked & ~torch.eye(far.size(0), dtype=torch.bool)[None]  # a station can always read itself
        return blocked.repeat(self.num_heads, 1, 1)

    def forward(self, x, available, dist_km, coherence_km=8.0):
        mask = self.build_mask(available, dist_km, coherence_km)
        y, _ = self.mha(x, x, x, attn_mask=mask, need_weights=False)  # BUG: per-window (B*H, S, S) mask stacked head-major by .repeat
        return self.norm(x + y)


class PrecursorNet(nn.Module):
    def __init__(self, n_feat=4, d_model=32, num_heads=4):
        super().__init__()
        self.embed = nn.Linear(n_feat, d_model)
        self.graph = StationGraphAttention(d_model, num_heads)
        self.cls = nn.Linear(d_model, 2)

    def forward(self, tremor, available, dist_km):
        h = self.graph(self.embed(tremor), available, dist_km)
        w = available.float().unsqueeze(-1)
        return self.cls((h * w).sum(1) / w.sum(1).clamp(min=1))


if __name__ == "__main__":
    torch.manual_seed(0)
    S = 7
    coords = torch.rand(S, 2) * 20.0
    dist = torch.cdist(coords, coords)
    tremor = torch.randn(3, S, 4)
    available = torch.rand(3, S) > 0.25
    model = PrecursorNet()
    print(model(tremor, available, dist).softmax(-1))
