"""Forecaster for irregular-length sensor series, written Lightning-style (works with or without PL)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

try:
    import lightning.pytorch as pl
    Base = pl.LightningModule
except ImportError:
    Base = nn.Module


class SensorForecaster(Base):
    def __init__(self, n_channels=6, d_model=64, nhead=4, horizon=12, lr=3e-4):
        super().__init__()
        self.lr, self.horizon = lr, horizon
        self.inp = nn.Linear(n_channels, d_model)
        self.pos = nn.Parameter(torch.randn(1, 512, d_model) * 0.02)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, 128, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, num_layers=2)
        self.head = nn.Linear(d_model, horizon * n_channels)

    def forward(self, series, lengths):
        B, T, C = series.shape
        t_idx = torch.arange(T, device=series.device).expand(B, T)
        missing = (t_idx >= lengths[:, None]).to(series.dtype)
        h = self.inp(series) + self.pos[:, :T]
        h = self.encoder(h, src_key_padding_mask=missing)  # expect: ML201
        last = h[torch.arange(B), lengths - 1]
        return self.head(last).view(B, self.horizon, C)

    def training_step(self, batch, batch_idx):
        series, lengths, target = batch
        loss = F.mse_loss(self(series, lengths), target)
        if hasattr(self, "log") and Base is not nn.Module:
            self.log("train/mse", loss)
        return loss

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.lr)


if __name__ == "__main__":
    model = SensorForecaster()
    opt = model.configure_optimizers()
    series = torch.randn(4, 96, 6)
    lengths = torch.tensor([96, 80, 64, 50])
    target = torch.randn(4, 12, 6)
    for step in range(2):
        loss = model.training_step((series, lengths, target), step)
        opt.zero_grad(); loss.backward(); opt.step()
    print(float(loss))
