import torch
import torch.nn as nn

from .attention import HourAttention
from .config import FermentConfig


class FermentForecaster(nn.Module):
    def __init__(self, cfg: FermentConfig = FermentConfig()):
        super().__init__()
        self.cfg = cfg
        self.inp = nn.Linear(cfg.n_inputs, cfg.d_model)
        self.layers = nn.ModuleList(HourAttention(cfg) for _ in range(cfg.n_layers))
        self.norms = nn.ModuleList(nn.LayerNorm(cfg.d_model) for _ in range(cfg.n_layers))
        self.out = nn.Linear(cfg.d_model, 2)
        self.register_buffer("keep", torch.tril(torch.ones(cfg.max_hours, cfg.max_hours, dtype=torch.bool)), persistent=False)

    def forward(self, log):
        T = log.size(1)
        keep = self.keep[:T, :T]
        x = self.inp(log)
        for norm, layer in zip(self.norms, self.layers):
            x = x + layer(norm(x), keep)
        return self.out(x)  # next-hour gravity delta and temperature


def train_on_prem(batches, steps=5):
    model = FermentForecaster(FermentConfig(attention_backend="manual"))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for step in range(steps):
        log = batches[step % len(batches)]
        pred = model(log[:, :-1])
        target = torch.stack([log[:, 1:, 0] - log[:, :-1, 0], log[:, 1:, 1]], -1)
        loss = nn.functional.mse_loss(pred, target)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


if __name__ == "__main__":
    hours = torch.arange(48.0)
    gravity = 1.050 - 0.04 * (1 - torch.exp(-hours / 30))
    log = torch.stack([gravity, 19 + torch.randn(48) * 0.2, 18 + torch.randn(48), hours / 100], -1)[None]
    print(train_on_prem([log]))
