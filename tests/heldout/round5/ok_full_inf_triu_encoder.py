"""Time-series forecaster (batch_first) with a float causal mask built from torch.full."""
import torch
import torch.nn as nn


class Forecaster(nn.Module):
    def __init__(self, n_feat=5, d=64, heads=4, depth=2, max_len=256):
        super().__init__()
        self.inp = nn.Linear(n_feat, d)
        self.pos = nn.Parameter(torch.zeros(1, max_len, d))
        self.enc = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 2 * d, 0.1, batch_first=True), depth, enable_nested_tensor=False
        )
        self.out = nn.Linear(d, n_feat)
        causal = torch.full((max_len, max_len), float("-inf")).triu(1)
        self.register_buffer("causal", causal, persistent=False)

    def forward(self, x):  # (B, T, F)
        B, T, _ = x.shape
        h = self.inp(x) + self.pos[:, :T]
        h = self.enc(h, mask=self.causal[:T, :T], is_causal=True)
        return self.out(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = Forecaster().eval()
    x = torch.randn(3, 20, 5)
    with torch.no_grad():
        y = m(x)
        x2 = x.clone(); x2[:, 15:] = torch.randn(3, 5, 5)
        y2 = m(x2)
    print("no leak:", torch.allclose(y[:, :15], y2[:, :15], atol=1e-5))
