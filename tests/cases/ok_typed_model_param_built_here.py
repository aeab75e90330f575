"""A helper typed with the model's class (`def rollout(model: Forecaster, ...)`) sees the model as
this module builds it (`Forecaster(n, causal=True)`), not with the constructor's defaults
(round19b's sensor forecaster: its correct version was reported at the session start)."""
import torch
import torch.nn as nn


class Forecaster(nn.Module):
    def __init__(self, n_features, d=32, causal=False):
        super().__init__()
        self.causal = causal
        self.inp = nn.Linear(n_features, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, 64, batch_first=True), 2)
        self.out = nn.Linear(d, n_features)

    def forward(self, x):
        mask = nn.Transformer.generate_square_subsequent_mask(x.size(1)) if self.causal else None
        return self.out(self.enc(self.inp(x), mask=mask))


def train(series, steps=10):
    model = Forecaster(series.size(-1), causal=True)
    for _ in range(steps):
        loss = nn.functional.mse_loss(model(series[:, :-1]), series[:, 1:])
        loss.backward()
    return model


@torch.no_grad()
def rollout(model: Forecaster, context, horizon):
    model.eval()
    seq = context
    for _ in range(horizon):
        seq = torch.cat([seq, model(seq)[:, -1:]], dim=1)
    return seq
