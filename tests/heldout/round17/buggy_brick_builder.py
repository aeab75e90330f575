"""Next-brick model for building-instruction generation.

A build is a sequence of placements (part, colour, x, y, z, rotation) on the
stud grid. Training uses teacher forcing; `score_build` ranks candidate builds
for the instruction-booklet step planner.
"""
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

    def _inputs(self, bricks):
        t = bricks.size(1)
        return self.embed(bricks) + self.step(torch.arange(t, device=bricks.device))

    def forward(self, bricks):
        t = bricks.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(t, device=bricks.device)
        h = self.encoder(self._inputs(bricks), mask=causal, is_causal=True)
        return self.next_part(h)

    def loss(self, bricks):
        logits = self(bricks[:, :-1])
        return F.cross_entropy(logits.flatten(0, 1), bricks[:, 1:, 0].flatten())

    @torch.no_grad()
    def score_build(self, bricks):
        """Sum of next-part log-probabilities, used to rank candidate builds."""
        h = self.encoder(self._inputs(bricks[:, :-1]), is_causal=True)  # expect: ML402
        logp = self.next_part(h).log_softmax(-1)
        return logp.gather(-1, bricks[:, 1:, :1]).squeeze(-1).sum(-1)


if __name__ == "__main__":
    lm = BrickLM().eval()
    builds = torch.randint(0, 4, (3, 10, 6))
    print(lm.score_build(builds))
