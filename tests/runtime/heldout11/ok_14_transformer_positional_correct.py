# EXPECT: ok
"""Time-series forecaster on nn.Transformer (seq-first). History and horizon are both 12 steps;
all masks go in positionally, each in its own slot."""
import torch
import torch.nn as nn


class Forecaster(nn.Module):
    def __init__(self, n_features=3, d_model=32, nhead=4, layers=2, dropout=0.1, window=12):
        super().__init__()
        self.enc_in = nn.Linear(n_features, d_model)
        self.dec_in = nn.Linear(n_features, d_model)
        self.pos = nn.Parameter(torch.randn(window, 1, d_model) * 0.02)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, 4 * d_model, dropout)
        self.proj = nn.Linear(d_model, n_features)
        self.register_buffer("tgt_mask", nn.Transformer.generate_square_subsequent_mask(window))

    def forward(self, history, horizon_in, missing):
        # missing: (B, T) bool, True where the sensor reading of the history is missing
        src = self.enc_in(history) + self.pos
        tgt = self.dec_in(horizon_in) + self.pos
        src_kpm = missing.float().masked_fill(missing, float("-inf"))
        out = self.transformer(src, tgt, None, self.tgt_mask, None, src_kpm, None, src_kpm)
        return self.proj(out)


def run():
    torch.manual_seed(0)
    model = Forecaster()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    t = torch.arange(25, dtype=torch.float32)[:, None, None]
    series = torch.sin(0.3 * t + torch.rand(1, 5, 3) * 6.28) + 0.05 * torch.randn(25, 5, 3)
    history, future = series[:12], series[12:]
    missing = torch.zeros(5, 12, dtype=torch.bool)
    missing[1, 3:5] = True
    missing[4, 0:2] = True
    history = history.masked_fill(missing.t()[..., None], 0.0)
    model.train()
    pred = model(history, future[:-1], missing)
    loss = nn.functional.mse_loss(pred, future[1:])
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(history, future[:-1], missing)
    return [loss.detach(), ev]
