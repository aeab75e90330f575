"""Next-brick model for building-instruction generation (shared causal mask)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BrickEmbedding(nn.Module):
    def __init__(self, dim, n_parts=2000, n_colours=64, grid=48, n_rot=4):
        super().__init__()
        self.part = nn.Embedding(n_parts, dim)
        self.colour = nn.Embedding(n_colours, dim)
        self.xyz = nn.ModuleList(nn.Embedding(grid, dim) for _ in range(3))
        self.rot = nn.Embedding(n_rot, dim)

    def forward(self, b):
        x = self.part(b[..., 0]) + self.colour(b[..., 1]) + self.rot(b[..., 5])
        return x + sum(e(b[..., 2 + i]) for i, e in enumerate(self.xyz))


class BrickLM(nn.Module):
    def __init__(self, dim=64, heads=4, depth=2, n_parts=2000):
        super().__init__()
        self.embed = BrickEmbedding(dim, n_parts)
        self.step = nn.Embedding(512, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth)
        self.next_part = nn.Linear(dim, n_parts)

    def _hidden(self, bricks):
        t = bricks.size(1)
        x = self.embed(bricks) + self.step(torch.arange(t, device=bricks.device))
        causal = nn.Transformer.generate_square_subsequent_mask(t, device=bricks.device)
        return self.encoder(x, mask=causal, is_causal=True)

    def forward(self, bricks):
        return self.next_part(self._hidden(bricks))

    def loss(self, bricks):
        logits = self(bricks[:, :-1])
        return F.cross_entropy(logits.flatten(0, 1), bricks[:, 1:, 0].flatten())

    @torch.no_grad()
    def score_build(self, bricks):
        logp = self.next_part(self._hidden(bricks[:, :-1])).log_softmax(-1)
        return logp.gather(-1, bricks[:, 1:, :1]).squeeze(-1).sum(-1)
