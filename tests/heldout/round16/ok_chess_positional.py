"""Move prediction for padded batches of games (tiny chess GPT)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class CausalBlock(nn.Module):
    def __init__(self, dim, heads, max_plies):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.register_buffer("causal", torch.ones(max_plies, max_plies).triu(1).bool(), persistent=False)

    def forward(self, x, pad):
        t = x.size(1)
        h = self.norm1(x)
        h, _ = self.attn(h, h, h, pad, False, self.causal[:t, :t])
        x = x + h
        return x + self.ff(self.norm2(x))


class PaddedMoveGPT(nn.Module):
    def __init__(self, n_moves=1968, dim=64, heads=4, depth=2, max_plies=256):
        super().__init__()
        self.embed = nn.Embedding(n_moves, dim, padding_idx=PAD)
        self.pos = nn.Embedding(max_plies, dim)
        self.blocks = nn.ModuleList(CausalBlock(dim, heads, max_plies) for _ in range(depth))
        self.head = nn.Linear(dim, n_moves)

    def forward(self, moves):
        pad = moves == PAD
        x = self.embed(moves) + self.pos(torch.arange(moves.size(1), device=moves.device))
        for blk in self.blocks:
            x = blk(x, pad)
        return self.head(x)

    def loss(self, games):
        logits = self(games[:, :-1])
        return F.cross_entropy(logits.flatten(0, 1), games[:, 1:].flatten(), ignore_index=PAD)
