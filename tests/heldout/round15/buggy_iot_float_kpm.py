"""Anomaly scoring for irregular IoT sensor windows (variable number of readings per window)."""
import torch
from torch import nn


class SensorWindowEncoder(nn.Module):
    def __init__(self, n_channels=6, d_model=32, nhead=4, max_readings=64):
        super().__init__()
        self.inp = nn.Linear(n_channels + 1, d_model)  # + time-delta channel
        self.layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
        self.score = nn.Linear(d_model, 1)

    def forward(self, readings, deltas, n_readings):
        L = readings.size(1)
        pad = (torch.arange(L, device=readings.device)[None, :] >= n_readings[:, None]).float()
        x = self.inp(torch.cat([readings, deltas[..., None]], -1))
        x = self.layer(x, src_key_padding_mask=pad)  # expect: ML201
        x = x * (1.0 - pad)[..., None]
        return self.score(x.sum(1) / n_readings[:, None]).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    n = torch.tensor([10, 4, 7])
    readings = torch.randn(3, 10, 6)
    deltas = torch.rand(3, 10)
    model = SensorWindowEncoder()
    print("train-mode scores", model(readings, deltas, n).tolist())
    model.eval()
    with torch.no_grad():
        print("eval-mode scores ", model(readings, deltas, n).tolist())
