"""Autoregressive weather-station forecaster with additive (float) attention masks throughout."""
import torch
import torch.nn as nn


class StationForecaster(nn.Module):
    def __init__(self, n_vars=5, d=64, heads=4, layers=2, max_steps=168):
        super().__init__()
        self.inp = nn.Linear(n_vars, d)
        self.step_emb = nn.Embedding(max_steps, d)
        layer = nn.TransformerEncoderLayer(d, heads, 2 * d, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.out = nn.Linear(d, n_vars)
        future = torch.full((max_steps, max_steps), float("-inf")).triu(1)
        self.register_buffer("future", future, persistent=False)

    def forward(self, obs, n_valid):
        B, T, _ = obs.shape
        steps = torch.arange(T, device=obs.device)
        missing = steps[None, :] >= n_valid[:, None]
        pad_bias = torch.zeros(B, T, device=obs.device).masked_fill(missing, float("-inf"))
        x = self.inp(obs) + self.step_emb(steps)
        h = self.encoder(x, mask=self.future[:T, :T], src_key_padding_mask=pad_bias)
        return self.out(h)


if __name__ == "__main__":
    model = StationForecaster()
    obs = torch.randn(3, 48, 5)
    n_valid = torch.tensor([48, 40, 30])
    pred = model(obs[:, :-1], n_valid - 1)
    keep = (torch.arange(47)[None] < (n_valid - 1)[:, None]).unsqueeze(-1)
    loss = ((pred - obs[:, 1:]) ** 2 * keep).sum() / keep.sum()
    loss.backward()
    print(loss.item())
