import torch
import torch.nn as nn


class TSPPointer(nn.Module):
    """Attention-model style TSP solver: an encoder over cities and a pointer decoder."""

    def __init__(self, dim=64, heads=4, layers=2):
        super().__init__()
        self.embed = nn.Linear(2, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, 0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.glimpse = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.q = nn.Linear(2 * dim, dim)
        self.k = nn.Linear(dim, dim)

    def forward(self, coords, greedy=True):
        b, n, _ = coords.shape
        h = self.encoder(self.embed(coords))
        visited = torch.zeros(b, n, dtype=torch.bool)
        current = torch.zeros(b, dtype=torch.long)
        visited[torch.arange(b), current] = True
        tour, logps = [current], []
        for _ in range(n - 1):
            ctx = torch.cat([h.mean(1), h[torch.arange(b), current]], -1)
            g, _ = self.glimpse(self.q(ctx)[:, None], h, h, key_padding_mask=visited)
            logits = (g @ self.k(h).transpose(1, 2)).squeeze(1) / h.size(-1) ** 0.5
            logits = 10 * torch.tanh(logits).masked_fill(visited, float("-inf"))
            logp = logits.log_softmax(-1)
            current = logp.argmax(-1) if greedy else torch.multinomial(logp.exp(), 1).squeeze(-1)
            visited = visited.clone()
            visited[torch.arange(b), current] = True
            tour.append(current)
            logps.append(logp.gather(1, current[:, None]))
        return torch.stack(tour, 1), torch.cat(logps, 1).sum(1)


if __name__ == "__main__":
    tour, lp = TSPPointer()(torch.rand(3, 8, 2))
    print(tour, lp)
