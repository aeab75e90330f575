"""Move-sequence language model for chess games in UCI notation, with ALiBi head biases so
that it can score games longer than the training window. Uses nn.MultiheadAttention with a
per-head additive bias."""
from __future__ import annotations

import math
from typing import List

import torch
import torch.nn.functional as F
from torch import nn

FILES, RANKS = "abcdefgh", "12345678"
SQUARES = [f + r for f in FILES for r in RANKS]
MOVE_VOCAB = {a + b: i + 1 for i, (a, b) in enumerate((a, b) for a in SQUARES for b in SQUARES if a != b)}


def alibi_causal_bias(n_heads: int, n: int) -> torch.Tensor:
    """(H, n, n) float: -slope_h * distance on the past, -inf on the future."""
    slopes = torch.tensor([2 ** (-8 * (h + 1) / n_heads) for h in range(n_heads)])
    pos = torch.arange(n)
    dist = (pos[:, None] - pos[None, :]).float()
    bias = -slopes[:, None, None] * dist.clamp_min(0)
    return bias.masked_fill((dist < 0)[None], float("-inf"))


class ChessLayer(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        y = self.n1(x)
        x = x + self.attn(y, y, y, attn_mask=bias, need_weights=False)[0]
        return x + self.ff(self.n2(x))


class ChessMoveLM(nn.Module):
    def __init__(self, dim: int = 64, heads: int = 4, depth: int = 2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(len(MOVE_VOCAB) + 1, dim)
        self.layers = nn.ModuleList(ChessLayer(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.out = nn.Linear(dim, len(MOVE_VOCAB) + 1)

    def forward(self, moves: torch.Tensor) -> torch.Tensor:
        b, n = moves.shape
        per_head = alibi_causal_bias(self.heads, n).to(moves.device)
        bias = per_head.repeat(b, 1, 1)
        x = self.emb(moves) * math.sqrt(self.emb.embedding_dim)
        for layer in self.layers:
            x = layer(x, bias)
        return self.out(self.norm(x))


def encode_games(games: List[str]) -> torch.Tensor:
    rows = [[MOVE_VOCAB[m[:4]] for m in g.split()] for g in games]
    n = min(map(len, rows))
    return torch.tensor([r[:n] for r in rows])


if __name__ == "__main__":
    torch.manual_seed(0)
    games = ["e2e4 e7e5 g1f3 b8c6 f1b5 a7a6 b5a4 g8f6 e1g1 f8e7",
             "d2d4 d7d5 c2c4 e7e6 b1c3 g8f6 c1g5 f8e7 e2e3 e8g8",
             "c2c4 e7e5 b1c3 g8f6 g1f3 b8c6 g2g3 d7d5 c4d5 f6d5"]
    moves = encode_games(games)
    model = ChessMoveLM()
    loss = F.cross_entropy(model(moves[:, :-1]).transpose(1, 2), moves[:, 1:])
    loss.backward()
    print("move loss", round(loss.item(), 4))
