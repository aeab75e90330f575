"""Attention Model for the TSP (Kool et al. style): a graph encoder with full self-attention over
the cities (bidirectional by design: a set has no order), and a decoding loop that picks the next
city by sampling from a pointer distribution conditioned on the tour so far (its last city).
Correct: there is no sequence order for the encoder to respect."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class GraphLayer(nn.Module):
    def __init__(self, d=128, h=8):
        super().__init__()
        self.mha = nn.MultiheadAttention(d, h, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 512), nn.ReLU(), nn.Linear(512, d))
        self.bn1 = nn.BatchNorm1d(d)
        self.bn2 = nn.BatchNorm1d(d)

    def forward(self, x):
        x = x + self.mha(x, x, x, need_weights=False)[0]
        x = self.bn1(x.transpose(1, 2)).transpose(1, 2)
        x = x + self.ff(x)
        return self.bn2(x.transpose(1, 2)).transpose(1, 2)


class AttentionModel(nn.Module):
    def __init__(self, d=128, h=8, n=3):
        super().__init__()
        self.init = nn.Linear(2, d)
        self.layers = nn.ModuleList(GraphLayer(d, h) for _ in range(n))
        self.ctx = nn.Linear(3 * d, d)
        self.first_placeholder = nn.Parameter(torch.randn(2 * d))

    def encoder(self, coords):
        x = self.init(coords)
        for layer in self.layers:
            x = layer(x)
        return x

    def step_logits(self, emb, tour):
        b = emb.size(0)
        graph = emb.mean(1)
        if tour.size(1) == 0:
            ctx = torch.cat([graph, self.first_placeholder.expand(b, -1)], -1)
        else:
            first = emb[torch.arange(b), tour[:, 0]]
            last = emb[torch.arange(b), tour[:, -1]]
            ctx = torch.cat([graph, first, last], -1)
        q = self.ctx(ctx)
        return 10 * torch.tanh((emb @ q.unsqueeze(-1)).squeeze(-1) / emb.size(-1) ** 0.5)

    def forward(self, coords, greedy=False):
        emb = self.encoder(coords)
        b, n, _ = coords.shape
        tour = torch.zeros(b, 0, dtype=torch.long, device=coords.device)
        visited = torch.zeros(b, n, dtype=torch.bool, device=coords.device)
        logps = []
        length = torch.zeros(b, device=coords.device)
        ar = torch.arange(b, device=coords.device)
        for _ in range(n):
            logits = self.step_logits(emb, tour).masked_fill(visited, float("-inf"))
            logp = F.log_softmax(logits, -1)
            nxt = logp.argmax(-1, keepdim=True) if greedy else logp.exp().multinomial(1)
            logps.append(logp.gather(1, nxt))
            visited = visited.scatter(1, nxt, True)
            if tour.size(1) > 0:
                length = length + (coords[ar, nxt[:, 0]] - coords[ar, tour[:, -1]]).norm(dim=-1)
            tour = torch.cat([tour, nxt], dim=1)
        return tour, torch.cat(logps, 1).sum(1)
