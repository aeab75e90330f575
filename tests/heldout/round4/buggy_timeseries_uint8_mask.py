"""Probabilistic load forecaster: encoder over history, autoregressive decoder over horizon."""
import torch
import torch.nn as nn


def subsequent_mask(size: int, device=None) -> torch.Tensor:
    """1 where step j is in the future of step i."""
    return torch.triu(torch.ones(size, size, dtype=torch.uint8, device=device), diagonal=1)


class LoadForecaster(nn.Module):
    def __init__(self, n_covariates=6, d_model=128, nhead=4, layers=3, horizon=24):
        super().__init__()
        self.horizon = horizon
        self.hist_proj = nn.Linear(1 + n_covariates, d_model)
        self.fut_proj = nn.Linear(1 + n_covariates, d_model)
        self.pos = nn.Embedding(512, d_model)
        self.model = nn.Transformer(d_model, nhead, layers, layers, 4 * d_model, 0.1, batch_first=True)
        self.mu = nn.Linear(d_model, 1)
        self.sigma = nn.Sequential(nn.Linear(d_model, 1), nn.Softplus())

    def forward(self, history, hist_cov, dec_in, fut_cov):
        # history: (B, H, 1); dec_in: (B, F, 1) = last observed value + shifted targets
        src = self.hist_proj(torch.cat([history, hist_cov], -1))
        tgt = self.fut_proj(torch.cat([dec_in, fut_cov], -1))
        src = src + self.pos(torch.arange(src.size(1), device=src.device))
        tgt = tgt + self.pos(torch.arange(tgt.size(1), device=tgt.device))
        out = self.model(
            src, tgt,
            tgt_mask=subsequent_mask(tgt.size(1), tgt.device),  # expect: ML203
        )
        return self.mu(out).squeeze(-1), self.sigma(out).squeeze(-1) + 1e-4


def gaussian_nll(mu, sigma, y):
    return (torch.log(sigma) + 0.5 * ((y - mu) / sigma) ** 2).mean()


def train_step(model, batch, opt):
    history, hist_cov, future, fut_cov = batch
    dec_in = torch.cat([history[:, -1:], future[:, :-1]], dim=1)
    mu, sigma = model(history, hist_cov, dec_in, fut_cov)
    loss = gaussian_nll(mu, sigma, future.squeeze(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()
