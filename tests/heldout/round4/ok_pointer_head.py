"""Span-extraction head for nested NER: scores every (start, end) pair independently.

Each pair is a separate binary decision (sigmoid), there is no softmax over keys.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BiaffinePairScorer(nn.Module):
    def __init__(self, hidden=768, inner=256, n_types=5):
        super().__init__()
        self.start = nn.Linear(hidden, inner)
        self.end = nn.Linear(hidden, inner)
        self.U = nn.Parameter(torch.empty(n_types, inner + 1, inner + 1))
        nn.init.xavier_uniform_(self.U)

    def forward(self, h, attention_mask):
        # h: (B, L, hidden) encoder states; attention_mask: (B, L) 1 = token
        B, L, _ = h.shape
        s = F.gelu(self.start(h))
        e = F.gelu(self.end(h))
        ones = h.new_ones(B, L, 1)
        s = torch.cat([s, ones], -1)
        e = torch.cat([e, ones], -1)
        logits = torch.einsum("bid,tde,bje->btij", s, self.U, e)       # (B, T, L, L): start i, end j

        # a span needs end >= start: keep the upper triangle (i <= j)
        lower = torch.tril(torch.ones(L, L, device=h.device), diagonal=-1).bool()
        valid = attention_mask.bool()
        pair_ok = valid[:, None, :, None] & valid[:, None, None, :] & ~lower
        pair_ok = pair_ok.expand_as(logits)
        return logits.masked_fill(~pair_ok, -1e4), pair_ok


def span_loss(logits, pair_ok, gold):
    # gold: (B, T, L, L) 0/1 targets
    return F.binary_cross_entropy_with_logits(logits[pair_ok], gold[pair_ok].float())


def decode(logits, pair_ok, threshold=0.0):
    hits = (logits > threshold) & pair_ok
    return [[tuple(x.tolist()) for x in hits[b].nonzero()] for b in range(hits.size(0))]


if __name__ == "__main__":
    scorer = BiaffinePairScorer(hidden=32, inner=16, n_types=3)
    h = torch.randn(2, 6, 32)
    am = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]])
    logits, ok = scorer(h, am)
    gold = torch.zeros_like(logits)
    gold[0, 1, 2, 4] = 1
    print(span_loss(logits, ok, gold).item(), len(decode(logits, ok)[0]))
