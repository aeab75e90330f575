"""Correct: masked_fill calls that are not attention masking (MoE routing filled with 0, banned
vocabulary logits, a query-side mask) next to a correct causal masked_fill_ in place."""
import torch
import torch.nn as nn

KIND = "correct"


class TinyLM(nn.Module):
    def __init__(self, vocab=20, dim=16, experts=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.qk = nn.Linear(dim, 2 * dim)
        self.router = nn.Linear(dim, experts)
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids, banned):
        x = self.emb(ids)
        b, t, d = x.shape
        q, k = self.qk(x).chunk(2, -1)
        scores = q @ k.transpose(1, 2) / d ** 0.5
        scores.masked_fill_(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf"))
        x = x + scores.softmax(-1) @ x
        router = self.router(x)
        top = router.topk(2, dim=-1).indices
        keep = torch.zeros_like(router, dtype=torch.bool).scatter_(-1, top, True)
        router = router.masked_fill(~keep, 0.0)
        logits = self.head(x * router.sum(-1, keepdim=True))
        query_pad = (ids == 0)[:, :, None]
        logits = logits.masked_fill(query_pad & torch.zeros_like(logits, dtype=torch.bool), -1e9)
        last = logits[:, -1].masked_fill(banned, float("-inf"))
        return logits, last


def run():
    torch.manual_seed(0)
    ids = torch.randint(1, 20, (2, 6))
    banned = torch.zeros(2, 20, dtype=torch.bool)
    banned[:, :3] = True
    return TinyLM()(ids, banned)
