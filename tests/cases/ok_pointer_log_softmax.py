"""Pointer and span heads: logits masked with triangles and normalised by a log_softmax over all
the pairs (or over the candidates of a copy head) are log-probabilities, not attention weights,
so their masks are not read as attention masks."""
import torch
import torch.nn as nn


class SpanPointer(nn.Module):
    def __init__(self, hidden=32, max_answer_len=8):
        super().__init__()
        self.max_answer_len = max_answer_len
        self.start = nn.Linear(hidden, hidden)
        self.end = nn.Linear(hidden, hidden)

    def forward(self, h):
        B, L, _ = h.shape
        logits = torch.einsum("bid,bjd->bij", self.start(h), self.end(h))
        invalid = torch.tril(torch.ones(L, L, dtype=torch.bool, device=h.device), diagonal=-1)
        invalid = invalid | torch.triu(torch.ones(L, L, dtype=torch.bool, device=h.device), diagonal=self.max_answer_len)
        logits = logits.masked_fill(invalid, float("-inf"))
        return logits.view(B, -1).log_softmax(-1).view(B, L, L)


class TourDecoder(nn.Module):
    """A pointer network over cities: cities already visited are excluded by keep == False."""

    def __init__(self, hidden=32):
        super().__init__()
        self.q = nn.Linear(hidden, hidden)
        self.k = nn.Linear(hidden, hidden)

    def forward(self, state, cities, visited):
        logits = (self.q(state)[:, None, :] * self.k(cities)).sum(-1)
        allowed = torch.ones_like(visited).tril()
        logits = logits.masked_fill(allowed.bool(), -1e9)
        return torch.log_softmax(logits, dim=-1)
