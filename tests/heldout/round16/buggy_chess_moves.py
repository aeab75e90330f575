"""Next-move prediction over UCI move tokens (a tiny chess GPT)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalBlock(nn.Module):
    def __init__(self, dim, heads, max_plies):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.norm2 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=0.0, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        causal = torch.ones(max_plies, max_plies, dtype=torch.bool).triu(diagonal=1)
        self.register_buffer("causal", causal, persistent=False)

    def forward(self, x):
        t = x.size(1)
        h = self.norm1(x)
        h, _ = self.attn(h, h, h, self.causal[:t, :t], need_weights=False)  # expect: ML501
        x = x + h
        return x + self.ff(self.norm2(x))


class MoveGPT(nn.Module):
    def __init__(self, n_moves=1968, dim=64, heads=4, depth=2, max_plies=256):
        super().__init__()
        self.embed = nn.Embedding(n_moves, dim)
        self.pos = nn.Embedding(max_plies, dim)
        self.blocks = nn.Sequential(*[CausalBlock(dim, heads, max_plies) for _ in range(depth)])
        self.head = nn.Linear(dim, n_moves)

    def forward(self, moves):
        ply = torch.arange(moves.size(1), device=moves.device)
        return self.head(self.blocks(self.embed(moves) + self.pos(ply)))

    def loss(self, games):
        logits = self(games[:, :-1])
        return F.cross_entropy(logits.flatten(0, 1), games[:, 1:].flatten())
