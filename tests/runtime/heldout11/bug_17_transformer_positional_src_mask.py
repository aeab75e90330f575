# EXPECT: bug
"""Time-series forecaster on nn.Transformer: the encoder reads the history window, the
decoder is teacher-forced on the horizon. Both windows are 12 steps long."""
import torch
import torch.nn as nn


class Forecaster(nn.Module):
    def __init__(self, n_features=3, d_model=32, nhead=4, layers=2, dropout=0.1, window=12):
        super().__init__()
        self.window = window
        self.enc_in = nn.Linear(n_features, d_model)
        self.dec_in = nn.Linear(n_features, d_model)
        self.pos = nn.Parameter(torch.randn(window, 1, d_model) * 0.02)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, 4 * d_model, dropout)
        self.proj = nn.Linear(d_model, n_features)
        self.register_buffer("tgt_mask", nn.Transformer.generate_square_subsequent_mask(window))

    def forward(self, history, horizon_in):
        # (T, B, F) layout: nn.Transformer default batch_first=False
        src = self.enc_in(history) + self.pos
        tgt = self.dec_in(horizon_in) + self.pos
        out = self.transformer(src, tgt, self.tgt_mask)  # BUG-SITE
        return self.proj(out)


def make_series(B, T, F):
    t = torch.arange(2 * T + 1, dtype=torch.float32)[:, None, None]
    phase = torch.rand(1, B, F) * 6.28
    return torch.sin(0.3 * t + phase) + 0.05 * torch.randn(2 * T + 1, B, F)


def run():
    torch.manual_seed(0)
    model = Forecaster()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    series = make_series(5, 12, 3)
    history, future = series[:12], series[12:]
    horizon_in, horizon_out = future[:-1], future[1:]
    model.train()
    pred = model(history, horizon_in)
    loss = nn.functional.mse_loss(pred, horizon_out)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(history, horizon_in)
    return [loss.detach(), ev]
