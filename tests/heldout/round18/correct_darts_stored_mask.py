"""Checkout-route suggester for darts scoring apps.

Each player's recent legs are encoded once per match (``set_player``) as a
context of visits (score, doubles attempted, darts at double); legs differ in
length and are padded with visit score -1. During the match, every remaining
score queries that context to rank checkout routes.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_ROUTES = 64   # e.g. T20-T20-D20 ... bucketed


class CheckoutModel(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.visit = nn.Linear(3, d)
        self.remaining = nn.Embedding(171, d)      # 2..170 finishes
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)
        self.o = nn.Linear(d, d)
        self.route = nn.Linear(d, N_ROUTES)
        self._ctx = None
        self._ctx_keep = None

    def set_player(self, visits):
        """visits: (P, V, 3) with score -1 on padded visits."""
        h = self.visit(visits)
        k, v = self.kv(h).chunk(2, dim=-1)
        P, V, D = h.shape
        self._ctx = tuple(t.view(P, V, self.heads, D // self.heads).transpose(1, 2) for t in (k, v))
        self._ctx_keep = (visits[..., 0] >= 0)[:, None, None, :]      # (P, 1, 1, V), True = real visit

    def forward(self, remaining, player_idx):
        q = self.q(self.remaining(remaining))
        B, D = q.shape
        q = q.view(B, self.heads, 1, D // self.heads)
        k, v = (t[player_idx] for t in self._ctx)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=self._ctx_keep[player_idx])
        return self.route(self.o(y.reshape(B, D)))


if __name__ == "__main__":
    torch.manual_seed(0)
    visits = torch.rand(2, 30, 3) * torch.tensor([180.0, 3.0, 3.0])
    visits[1, 18:, 0] = -1
    model = CheckoutModel()
    with torch.no_grad():
        model.set_player(visits)
        print(model(torch.tensor([170, 40, 32, 101]), torch.tensor([0, 1, 1, 0])).argmax(-1))
