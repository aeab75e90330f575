"""Next-move predictor over UCI move tokens from game records (right-padded batches)."""
import math

import torch
import torch.nn as nn


class MoveAttention(nn.Module):
    def __init__(self, d, n_head, block=128):
        super().__init__()
        self.n_head = n_head
        self.key, self.query, self.value = (nn.Linear(d, d) for _ in range(3))
        self.proj = nn.Linear(d, d)
        self.register_buffer("tri", torch.tril(torch.ones(block, block)).view(1, 1, block, block))

    def forward(self, x, move_ok):
        B, T, C = x.shape
        hd = C // self.n_head
        k = self.key(x).view(B, T, self.n_head, hd).transpose(1, 2)
        q = self.query(x).view(B, T, self.n_head, hd).transpose(1, 2)
        v = self.value(x).view(B, T, self.n_head, hd).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hd)
        att = att.masked_fill(self.tri[:, :, :T, :T] == 0, float("-inf"))
        att = att.masked_fill(move_ok[:, None, None, :] == 0, float("-inf"))
        att = torch.nan_to_num(att.softmax(dim=-1))
        return self.proj((att @ v).transpose(1, 2).reshape(B, T, C))


class MoveGPT(nn.Module):
    def __init__(self, n_moves=1968, d=128, heads=4, depth=2):
        super().__init__()
        self.tok = nn.Embedding(n_moves + 1, d)
        self.pos = nn.Embedding(128, d)
        self.blocks = nn.ModuleList(MoveAttention(d, heads) for _ in range(depth))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, n_moves)

    def forward(self, moves, move_ok):
        x = self.tok(moves) + self.pos(torch.arange(moves.size(1)))
        for blk in self.blocks:
            x = x + blk(x, move_ok)
        return self.head(self.ln(x))


if __name__ == "__main__":
    games = torch.randint(0, 1968, (3, 60))
    ok = torch.ones(3, 60, dtype=torch.long)
    ok[2, 35:] = 0
    logits = MoveGPT()(games[:, :-1], ok[:, :-1])
    tgt = games[:, 1:].masked_fill(ok[:, 1:] == 0, -100)
    print(nn.functional.cross_entropy(logits.transpose(1, 2), tgt).item())
