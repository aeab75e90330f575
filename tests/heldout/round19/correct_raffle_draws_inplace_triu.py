"""Charity raffle ticket-sales model: predicts sales in the next hour from the sales log so far.
Uses in-place mask construction to avoid re-allocating in the serving loop."""
import torch
import torch.nn as nn

CHANNELS = ["stall", "online", "volunteer", "sponsor"]


class SalesAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.scale = (d // heads) ** -0.5
        self._mask = torch.empty(0, 0, dtype=torch.bool)

    def later(self, n, device):
        if self._mask.size(0) != n or self._mask.device != device:
            self._mask = torch.ones(n, n, dtype=torch.bool, device=device).triu_(1)
        return self._mask

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        scores = torch.matmul(q, k.transpose(-1, -2)).mul_(self.scale)
        scores.masked_fill_(self.later(n, x.device), float("-inf"))
        return self.out(torch.matmul(scores.softmax(-1), v).transpose(1, 2).reshape(b, n, d))


class SalesForecaster(nn.Module):
    def __init__(self, d=48, heads=4, depth=2):
        super().__init__()
        self.channel = nn.Embedding(len(CHANNELS), d)
        self.tickets = nn.Linear(2, d)
        self.blocks = nn.ModuleList(SalesAttention(d, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.rate = nn.Linear(d, 1)

    def forward(self, channel, tickets, minutes):
        x = self.channel(channel) + self.tickets(torch.stack([tickets.log1p(), minutes / 60.0], -1))
        for norm, blk in zip(self.norms, self.blocks):
            x = x + blk(norm(x))
        return nn.functional.softplus(self.rate(x)).squeeze(-1)


if __name__ == "__main__":
    ch = torch.randint(0, len(CHANNELS), (1, 15))
    t = torch.randint(1, 20, (1, 15)).float()
    m = torch.cumsum(torch.rand(1, 15) * 10, 1)
    print(SalesForecaster()(ch, t, m))
