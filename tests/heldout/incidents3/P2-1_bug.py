import torch
import torch.nn as nn


class CausalForecaster(nn.Module):
    """One-layer attention forecaster over (T, B, F) sensor windows."""

    def __init__(self, n_features: int, d_model: int = 32, nhead: int = 4):
        super().__init__()
        self.inp = nn.Linear(n_features, d_model)
        self.attn = nn.MultiheadAttention(d_model, nhead, dropout=0.1)
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        T = x.size(0)
        # lower-triangular: each step may only look at itself and the past
        attn_mask = torch.tril(torch.ones(T, T, device=x.device))  # BUG
        h = self.inp(x)
        a, _ = self.attn(h, h, h, attn_mask=attn_mask)
        h = self.norm(h + a)
        return self.head(h)  # prediction of step t+1 at position t


if __name__ == "__main__":
    torch.manual_seed(0)
    T, B, F = 8, 4, 3
    series = torch.randn(T + 1, B, F).cumsum(0)
    model = CausalForecaster(F)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for step in range(3):
        pred = model(series[:-1])
        loss = nn.functional.mse_loss(pred, series[1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"step {step} loss {loss.item():.4f}")
