"""Typing-behaviour model: predicts the next key-hold bucket from keystroke history."""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_BUCKETS = 32


class Trunk(nn.Module):
    def __init__(self, d_model=32, nhead=4, num_layers=2, max_len=128):
        super().__init__()
        self.tok = nn.Embedding(N_BUCKETS, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.0, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, N_BUCKETS)

    def forward(self, buckets):
        T = buckets.size(1)
        x = self.tok(buckets) + self.pos(torch.arange(T, device=buckets.device))
        mask = torch.ones(T, T, dtype=torch.bool, device=buckets.device).triu(1)
        return self.head(self.encoder(x, mask=mask))


def step(model, opt, holds_ms):
    buckets = (holds_ms / 10).long().clamp(0, N_BUCKETS - 1)
    inputs, targets = buckets[:, :-1], buckets[:, 1:]
    loss = F.cross_entropy(model(inputs).reshape(-1, N_BUCKETS), targets.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Trunk()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    holds = torch.rand(6, 25) * 300
    print("losses", [round(step(model, opt, holds), 5) for _ in range(3)])
