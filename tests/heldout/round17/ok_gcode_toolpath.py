"""Toolpath language model over G-code moves, with an lru-cached causal mask."""
from functools import lru_cache

import torch
import torch.nn as nn
import torch.nn.functional as F

FIELDS = ("cmd", "dx", "dy", "dz", "extrude")


@lru_cache(maxsize=16)
def visible_history(length: int) -> torch.Tensor:
    # True where move i may look at move j (j <= i)
    return torch.ones(length, length, dtype=torch.bool).tril()


class MoveAttention(nn.Module):
    def __init__(self, dim, heads, dropout=0.0):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.dropout = dropout

    def forward(self, x):
        b, t, d = x.shape
        qkv = self.qkv(x).view(b, t, 3, self.heads, d // self.heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)
        mask = visible_history(t).to(x.device)
        p = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=p)
        return self.proj(y.transpose(1, 2).reshape(b, t, d))


class MoveBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = MoveAttention(dim, heads)
        self.ln2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class ToolpathLM(nn.Module):
    def __init__(self, bins=64, n_cmd=12, dim=64, heads=4, depth=2, max_moves=512):
        super().__init__()
        sizes = {"cmd": n_cmd, "dx": bins, "dy": bins, "dz": bins, "extrude": bins}
        self.embed = nn.ModuleDict({f: nn.Embedding(sizes[f], dim) for f in FIELDS})
        self.pos = nn.Embedding(max_moves, dim)
        self.blocks = nn.ModuleList(MoveBlock(dim, heads) for _ in range(depth))
        self.ln = nn.LayerNorm(dim)
        self.next_cmd = nn.Linear(dim, n_cmd)

    def forward(self, moves):
        x = sum(self.embed[f](moves[..., i]) for i, f in enumerate(FIELDS))
        x = x + self.pos(torch.arange(moves.size(1), device=moves.device))
        for blk in self.blocks:
            x = blk(x)
        return self.next_cmd(self.ln(x))
