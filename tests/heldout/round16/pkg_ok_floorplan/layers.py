"""Floor-plan room graph encoder: a room attends to the rooms it has a door to."""
import torch
import torch.nn as nn

from .masks import non_adjacent, per_head


class RoomLayer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, x, block):
        y, _ = self.attn(x, x, x, attn_mask=per_head(block, self.heads))
        x = x + y
        return x + self.ff(x)


class RoomGraphEncoder(nn.Module):
    def __init__(self, n_room_types=12, dim=32, heads=4, depth=2):
        super().__init__()
        self.type_emb = nn.Embedding(n_room_types, dim)
        self.geom = nn.Linear(4, dim)
        self.layers = nn.ModuleList(RoomLayer(dim, heads) for _ in range(depth))

    def forward(self, room_types, room_boxes, door_adj):
        block = non_adjacent(door_adj)
        x = self.type_emb(room_types) + self.geom(room_boxes)
        for layer in self.layers:
            x = layer(x, block)
        return x
