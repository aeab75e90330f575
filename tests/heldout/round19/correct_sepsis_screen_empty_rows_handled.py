"""Sepsis screening from irregular lab results: one learned query per lab test pools its draws.
Tests that were never drawn contribute a zero vector and a 'missing' embedding instead."""
import torch
import torch.nn as nn

LABS = ["wbc", "lactate", "creatinine", "bilirubin", "platelets", "crp", "procalcitonin"]


class DrawPool(nn.Module):
    def __init__(self, d, n_labs):
        super().__init__()
        self.query = nn.Parameter(torch.randn(n_labs, d) * 0.1)
        self.key = nn.Linear(d, d)
        self.value = nn.Linear(d, d)

    def forward(self, draws, drawn):
        # draws: (B, V, T, d), drawn: (B, V, T) bool
        scores = torch.einsum("vd,bvtd->bvt", self.query, self.key(draws)) / draws.size(-1) ** 0.5
        scores = scores.masked_fill(~drawn, float("-inf"))
        any_draw = drawn.any(dim=-1, keepdim=True)
        w = torch.where(any_draw, scores.softmax(dim=-1), torch.zeros_like(scores))
        return torch.einsum("bvt,bvtd->bvd", w, self.value(draws)), any_draw


class SepsisScreen(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.lab = nn.Embedding(len(LABS), d)
        self.missing = nn.Parameter(torch.zeros(len(LABS), d))
        self.inp = nn.Linear(2, d)
        self.pool = DrawPool(d, len(LABS))
        self.mix = nn.TransformerEncoderLayer(d, heads, 2 * d, dropout=0.0, batch_first=True)
        self.out = nn.Linear(d, 1)

    def forward(self, values, hours_ago, drawn):
        x = self.inp(torch.stack([values, hours_ago / 24.0], -1)) + self.lab.weight[None, :, None]
        pooled, any_draw = self.pool(x, drawn)
        pooled = torch.where(any_draw, pooled, self.missing.expand_as(pooled))
        return self.out(self.mix(pooled).mean(1)).squeeze(-1)


if __name__ == "__main__":
    B, T = 2, 6
    drawn = torch.rand(B, len(LABS), T) > 0.5
    drawn[0, LABS.index("procalcitonin")] = False
    logit = SepsisScreen()(torch.randn(B, len(LABS), T), torch.rand(B, len(LABS), T) * 24, drawn)
    loss = nn.functional.binary_cross_entropy_with_logits(logit, torch.tensor([1.0, 0.0]))
    loss.backward()
    print(loss.item())
