"""Autoregressive load forecaster (time series), sequence-first layout as in the original repo."""
import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model: int, max_len: int = 512):
        super().__init__()
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2) * (-torch.log(torch.tensor(10000.0)) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(pos * div)
        pe[:, 0, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe, persistent=False)

    def forward(self, x):
        return x + self.pe[: x.size(0)]


class LoadForecaster(nn.Module):
    def __init__(self, n_features=7, d_model=64, nhead=4, layers=3):
        super().__init__()
        self.inp = nn.Linear(n_features, d_model)
        self.pos = PositionalEncoding(d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 128, dropout=0.1)
        self.body = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.out = nn.Linear(d_model, 1)
        self._masks = {}

    def causal(self, size: int) -> torch.Tensor:
        if size not in self._masks:
            self._masks[size] = torch.full((size, size), float("-inf")).tril()
        return self._masks[size]

    def forward(self, series: torch.Tensor) -> torch.Tensor:
        # series: (T, B, F)
        h = self.pos(self.inp(series))
        h = self.body(h, mask=self.causal(series.size(0)))  # expect: ML103
        return self.out(h).squeeze(-1)


def train_epoch(model, loader, opt):
    model.train()
    for window in loader:
        pred = model(window[:-1])
        loss = nn.functional.mse_loss(pred, window[1:, :, 0])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


if __name__ == "__main__":
    m = LoadForecaster()
    data = [torch.randn(25, 8, 7) for _ in range(2)]
    print(train_epoch(m, data, torch.optim.Adam(m.parameters(), 1e-3)))
