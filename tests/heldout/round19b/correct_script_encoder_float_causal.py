"""Next-step predictor for a univariate signal; trains a few steps when run."""
import torch
import torch.nn as nn


class StepPredictor(nn.Module):
    def __init__(self, d_model=32, nhead=4, window=24):
        super().__init__()
        self.inp = nn.Linear(1, d_model)
        self.pos = nn.Parameter(torch.zeros(1, window, d_model))
        self.layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.0, batch_first=True)
        self.layer2 = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.0, batch_first=True)
        self.out = nn.Linear(d_model, 1)

    def forward(self, series):
        T = series.size(1)
        h = self.inp(series.unsqueeze(-1)) + self.pos[:, :T]
        future = torch.ones(T, T, dtype=torch.bool, device=series.device).triu(1)
        mask = torch.zeros(T, T, device=series.device).masked_fill(future, float("-inf"))
        h = self.layer(h, src_mask=mask, is_causal=True)
        h = self.layer2(h, src_mask=mask, is_causal=True)
        return self.out(h).squeeze(-1)


t = torch.linspace(0, 12.0, 25)
series = torch.sin(t + torch.rand(64, 1) * 6.28)
inputs, targets = series[:, :-1], series[:, 1:]

m = StepPredictor()
opt = torch.optim.Adam(m.parameters(), lr=1e-3)
for step in range(3):
    pred = m(inputs)
    loss = nn.functional.mse_loss(pred, targets)
    opt.zero_grad()
    loss.backward()
    opt.step()
print("loss after 3 steps:", loss.item())
