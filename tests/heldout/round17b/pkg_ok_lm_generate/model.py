"""Tile language model. ``causal=False`` is used only for the level critic (a classifier)."""
import torch
from torch import nn

TILES = ["<pad>", "<start>", "<end>", "room", "corridor", "door", "stairs", "chest", "trap", "boss"]


class TileModel(nn.Module):
    def __init__(self, dim=48, heads=4, layers=3, max_len=96):
        super().__init__()
        self.tok = nn.Embedding(len(TILES), dim)
        self.pos = nn.Embedding(max_len, dim)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True)
            for _ in range(layers))
        self.next_tile = nn.Linear(dim, len(TILES))
        self.playable = nn.Linear(dim, 1)

    def encode(self, tiles, causal):
        n = tiles.size(1)
        h = self.tok(tiles) + self.pos(torch.arange(n, device=tiles.device))
        mask = None
        if causal:
            mask = torch.ones(n, n, dtype=torch.bool, device=tiles.device).triu(1)
        for layer in self.layers:
            h = layer(h, src_mask=mask)
        return h

    def forward(self, tiles, causal=True):
        return self.next_tile(self.encode(tiles, causal))

    def critic(self, tiles):
        """Whole-level playability score: reads the full level in both directions."""
        return torch.sigmoid(self.playable(self.encode(tiles, causal=False).mean(1))).squeeze(-1)
