"""Next-event model for limit-order-book message streams (type, side, price tick, size bucket).

Trained with teacher forcing: position t predicts event t+1.
"""
import torch
from torch import nn
from torch.nn import functional as F


class EventTokenizer(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.kind = nn.Embedding(6, dim)
        self.side = nn.Embedding(2, dim)
        self.tick = nn.Embedding(201, dim)   # price offset from mid, -100..100
        self.size = nn.Embedding(16, dim)

    def forward(self, ev):  # (B, T, 4) long
        return self.kind(ev[..., 0]) + self.side(ev[..., 1]) + self.tick(ev[..., 2]) + self.size(ev[..., 3])


class Mixer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.q, self.k, self.v = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.o = nn.Linear(dim, dim)
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def heads(self, t):
        return t.unflatten(-1, (self.h, -1)).transpose(1, 2)

    def forward(self, x):
        y = self.n1(x)
        att = F.scaled_dot_product_attention(self.heads(self.q(y)), self.heads(self.k(y)), self.heads(self.v(y)))  # expect: ML401
        x = x + self.o(att.transpose(1, 2).flatten(2))
        return x + self.mlp(self.n2(x))


class LOBGPT(nn.Module):
    def __init__(self, dim=128, heads=4, depth=4, ctx=256):
        super().__init__()
        self.tok = EventTokenizer(dim)
        self.pos = nn.Embedding(ctx, dim)
        self.mixers = nn.ModuleList(Mixer(dim, heads) for _ in range(depth))
        self.heads = nn.ModuleDict({
            "kind": nn.Linear(dim, 6), "side": nn.Linear(dim, 2), "tick": nn.Linear(dim, 201), "size": nn.Linear(dim, 16),
        })

    def forward(self, ev):
        x = self.tok(ev) + self.pos(torch.arange(ev.size(1), device=ev.device))
        for m in self.mixers:
            x = m(x)
        return {k: head(x) for k, head in self.heads.items()}

    def loss(self, ev):
        out = self.forward(ev[:, :-1])
        tgt = ev[:, 1:]
        return sum(F.cross_entropy(out[k].flatten(0, 1), tgt[..., i].flatten())
                   for i, k in enumerate(["kind", "side", "tick", "size"]))


if __name__ == "__main__":
    torch.manual_seed(0)
    ev = torch.stack([torch.randint(0, 6, (8, 129)), torch.randint(0, 2, (8, 129)),
                      torch.randint(0, 201, (8, 129)), torch.randint(0, 16, (8, 129))], dim=-1)
    model = LOBGPT()
    loss = model.loss(ev)
    loss.backward()
    print("next-event nll", round(loss.item(), 4))
