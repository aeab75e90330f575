"""Traffic-speed forecaster: encode the last 24 five-minute readings of a road sensor,
decode the next 24 with teacher forcing (nn.Transformer, batch_first)."""
import torch
import torch.nn as nn


class TrafficSeq2Seq(nn.Module):
    def __init__(self, n_sensors=207, d_model=64, nhead=4, layers=2, horizon=24):
        super().__init__()
        self.horizon = horizon
        self.sensor = nn.Embedding(n_sensors, d_model)
        self.val_in = nn.Linear(2, d_model)     # speed, time-of-day
        self.val_out = nn.Linear(2, d_model)
        self.pos = nn.Parameter(torch.randn(2 * horizon, d_model) * 0.02)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, 128, dropout=0.0, batch_first=True)
        self.head = nn.Linear(d_model, 1)
        self.register_buffer("dec_mask", nn.Transformer.generate_square_subsequent_mask(horizon))

    def forward(self, sensor_id, history, future_in):
        s = self.sensor(sensor_id)[:, None]
        src = self.val_in(history) + s + self.pos[: history.size(1)]
        tgt = self.val_out(future_in) + s + self.pos[history.size(1):history.size(1) + future_in.size(1)]
        h = self.transformer(src, tgt, self.dec_mask)  # expect: ML501
        return self.head(h).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    B = 32
    speed = 60 + 5 * torch.randn(B, 49).cumsum(-1) / 7
    tod = torch.linspace(0, 1, 49).expand(B, 49)
    series = torch.stack([speed, tod], dim=-1)
    model = TrafficSeq2Seq()
    history, future = series[:, :24], series[:, 24:48]
    pred = model(torch.randint(0, 207, (B,)), history, series[:, 23:47])
    loss = nn.functional.l1_loss(pred, future[..., 0])
    loss.backward()
    print("MAE (mph)", round(loss.item(), 3))
