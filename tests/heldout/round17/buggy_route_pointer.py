"""Attention-model route planner for parcel vans (one van, every stop once).

Encoder over stop features (location, time window, parcel volume); the decoder
points at the next stop with a glimpse over the stops not yet served.
"""
import torch
import torch.nn as nn


class StopEncoder(nn.Module):
    def __init__(self, dim=64, heads=4, depth=3):
        super().__init__()
        self.inp = nn.Linear(5, dim)   # x, y, window_open, window_close, volume
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True)
        self.layers = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)

    def forward(self, stops):
        return self.layers(self.inp(stops))


class PointerDecoder(nn.Module):
    def __init__(self, dim=64, heads=4, clip=10.0):
        super().__init__()
        self.ctx = nn.Linear(3 * dim, dim)
        self.glimpse = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.key = nn.Linear(dim, dim, bias=False)
        self.clip = clip

    def forward(self, nodes, greedy=True):
        b, n, d = nodes.shape
        graph = nodes.mean(1)
        visited = torch.zeros(b, n, dtype=torch.uint8, device=nodes.device)
        first = last = nodes[:, 0]
        tour, logps = [], []
        for step in range(n):
            q = self.ctx(torch.cat([graph, first, last], -1))[:, None]
            g, _ = self.glimpse(q, nodes, nodes, key_padding_mask=visited)  # expect: ML203
            logits = (g @ self.key(nodes).transpose(1, 2)).squeeze(1) / d ** 0.5
            logits = self.clip * torch.tanh(logits)
            logits = logits.masked_fill(visited.bool(), float("-inf"))
            logp = logits.log_softmax(-1)
            choice = logp.argmax(-1) if greedy else torch.multinomial(logp.exp(), 1).squeeze(1)
            visited = visited.scatter(1, choice[:, None], 1)
            last = nodes[torch.arange(b), choice]
            if step == 0:
                first = last
            tour.append(choice)
            logps.append(logp.gather(1, choice[:, None]).squeeze(1))
        return torch.stack(tour, 1), torch.stack(logps, 1).sum(1)


class VanRoutePlanner(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.encoder = StopEncoder(dim)
        self.decoder = PointerDecoder(dim)

    def forward(self, stops, greedy=True):
        return self.decoder(self.encoder(stops), greedy)

