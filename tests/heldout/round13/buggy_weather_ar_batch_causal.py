"""Autoregressive station-weather forecaster (hourly temperature, pressure, wind)."""
import torch
import torch.nn as nn


class WeatherGPT(nn.Module):
    def __init__(self, n_vars=6, d_model=96, nhead=4, layers=3, context=72):
        super().__init__()
        self.inp = nn.Linear(n_vars, d_model)
        self.hour = nn.Embedding(24, d_model)
        self.pos = nn.Parameter(torch.randn(context, d_model) * 0.02)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.1, batch_first=True)
        self.backbone = nn.TransformerEncoder(layer, layers)
        self.out = nn.Linear(d_model, n_vars)

    def forward(self, obs, hour_of_day):  # obs: (batch, time, vars)
        x = self.inp(obs) + self.hour(hour_of_day) + self.pos[: obs.size(1)]
        causal = nn.Transformer.generate_square_subsequent_mask(obs.size(0), device=obs.device)
        h = self.backbone(x, mask=causal)  # expect: ML303
        return self.out(h)  # prediction for hour t+1 at position t


def train_step(model, opt, obs, hours):
    pred = model(obs[:, :-1], hours[:, :-1])
    loss = nn.functional.mse_loss(pred, obs[:, 1:])
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = WeatherGPT()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    obs = torch.randn(32, 73, 6)
    hours = (torch.arange(73) % 24).expand(32, 73)
    try:
        print("step loss", round(train_step(model, opt, obs, hours), 4))
    except RuntimeError as err:
        print("training step failed:", err)
