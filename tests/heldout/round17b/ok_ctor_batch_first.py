"""River discharge forecasting from upstream gauges (time-major tensors throughout)."""
import torch
from torch import nn


class DischargeModel(nn.Module):
    def __init__(self, n_gauges=5, dim=32, heads=4, layers=2, batch_first=True):
        super().__init__()
        self.batch_first = batch_first
        self.inp = nn.Linear(n_gauges + 2, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=batch_first)
        self.body = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.out = nn.Linear(dim, 1)

    def forward(self, gauges, rain):
        x = self.inp(torch.cat([gauges, rain], dim=-1))
        steps = x.size(1) if self.batch_first else x.size(0)
        mask = nn.Transformer.generate_square_subsequent_mask(steps, device=x.device)
        h = self.body(x, mask=mask, is_causal=True)
        return self.out(h).squeeze(-1)


def time_major(series, length):
    starts = range(0, series.size(0) - length, length // 2)
    return torch.stack([series[s:s + length] for s in starts], dim=1)


torch.manual_seed(0)
days = 400
t = torch.arange(days, dtype=torch.float32)
gauges = torch.stack([torch.sin(2 * torch.pi * (t - lag) / 365) for lag in range(0, 25, 5)], -1)
rain = torch.rand(days, 2)
flow = gauges.mean(-1) + 0.2 * rain[:, 0]

G = time_major(gauges, 60)
R = time_major(rain, 60)
Y = time_major(flow[:, None], 60).squeeze(-1)
model = DischargeModel(batch_first=False)
opt = torch.optim.Adam(model.parameters(), 1e-3)
for epoch in range(5):
    pred = model(G[:-1], R[:-1])
    loss = nn.functional.mse_loss(pred, Y[1:])
    opt.zero_grad()
    loss.backward()
    opt.step()
print(f"windows={G.size(1)} steps={G.size(0)} loss={loss.item():.4f}")
print(DischargeModel(batch_first=False)(G[:10], R[:10]).shape)
