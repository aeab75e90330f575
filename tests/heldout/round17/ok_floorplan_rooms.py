"""Autoregressive floor-plan generator for apartment layouts (one combined mask)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOM_TYPES = ("pad", "living", "kitchen", "bed", "bath", "hall", "balcony", "storage", "end")
GRID = 64


class RoomAttention(nn.Module):
    def __init__(self, dim, heads, dropout=0.1):
        super().__init__()
        self.heads, self.p = heads, dropout
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, room_pad):
        b, n, d = x.shape
        q = self.q(x).view(b, n, self.heads, -1).transpose(1, 2)
        k, v = self.kv(x).view(b, n, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        earlier = torch.ones(n, n, dtype=torch.bool, device=x.device).tril()
        keep = earlier[None, None] & ~room_pad[:, None, None, :]
        y = F.scaled_dot_product_attention(
            q, k, v, attn_mask=keep, dropout_p=self.p if self.training else 0.0
        )
        return self.o(y.transpose(1, 2).reshape(b, n, d))


class PlanGenerator(nn.Module):
    def __init__(self, dim=64, heads=4, depth=3):
        super().__init__()
        self.kind = nn.Embedding(len(ROOM_TYPES), dim)
        self.geom = nn.ModuleList(nn.Embedding(GRID, dim) for _ in range(4))
        self.attn = nn.ModuleList(RoomAttention(dim, heads) for _ in range(depth))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim),
                                               nn.GELU(), nn.Linear(2 * dim, dim))
                                 for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.next_type = nn.Linear(dim, len(ROOM_TYPES))
        self.next_geom = nn.Linear(dim, 4 * GRID)

    def forward(self, room_type, geom):
        x = self.kind(room_type) + sum(e(geom[..., i]) for i, e in enumerate(self.geom))
        room_pad = room_type.eq(0)
        for attn, mlp, norm in zip(self.attn, self.mlp, self.norm):
            x = x + attn(norm(x), room_pad)
            x = x + mlp(x)
        return self.next_type(x), self.next_geom(x).unflatten(-1, (4, GRID))
