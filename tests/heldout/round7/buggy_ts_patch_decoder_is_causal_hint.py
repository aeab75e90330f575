"""Decoder-only patch forecaster (TimesFM flavour): the series is cut into
patches, each patch token predicts the next patch; a stack of encoder layers
is run causally."""
import torch
import torch.nn as nn

PATCH = 4


class PatchForecaster(nn.Module):
    def __init__(self, d=32, heads=4, layers=2, max_patches=16):
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(2 * PATCH, d), nn.SiLU(), nn.Linear(d, d))
        self.pos = nn.Parameter(torch.randn(max_patches, d) * 0.02)
        self.stack = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 2 * d, dropout=0.0, batch_first=True), layers,
            enable_nested_tensor=False)
        self.head = nn.Linear(d, PATCH)

    def forward(self, series, observed):
        B, T = series.shape
        x = torch.cat([series.view(B, T // PATCH, PATCH), observed.view(B, T // PATCH, PATCH).float()], -1)
        h = self.embed(x) + self.pos[: T // PATCH]
        h = self.stack(h, is_causal=True)  # expect: ML402
        return self.head(h)  # prediction of the following patch, per position


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PatchForecaster()
    series = torch.randn(2, 24)
    observed = torch.ones(2, 24, dtype=torch.bool)
    try:
        model.train()
        model(series, observed)
        print("train ran")
    except RuntimeError as e:
        print("train failed:", e)
    model.eval()
    with torch.no_grad():
        a = model(series, observed)
        s2 = series.clone()
        s2[:, -PATCH:] += 4.0  # last patch only
        b = model(s2, observed)
    leak = (a[:, 0] - b[:, 0]).abs().max().item()
    print("eval: first patch's forecast moved by the last patch:", leak)
    assert leak > 1e-3
