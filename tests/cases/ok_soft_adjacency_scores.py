"""A reading-order head: a soft adjacency computed from logits (sigmoid, normalised rows), its
transitive closure added to pairwise scores.  A computed adjacency named `adjacency` is data, not
a graph's edges read out of a batch."""
import torch
import torch.nn as nn


class SoftClosureFusion(nn.Module):
    def __init__(self, queries=16, steps=3, damping=0.5):
        super().__init__()
        self.steps, self.damping = steps, damping
        self.weight = nn.Parameter(torch.zeros(1))
        self.register_buffer("off_diagonal", 1.0 - torch.eye(queries), persistent=False)

    def forward(self, queries, keys, successor_logits):
        pair_logits = torch.einsum("bid,bjd->bij", queries, keys)
        adjacency = torch.sigmoid(successor_logits.float()) * self.off_diagonal
        adjacency = adjacency / adjacency.sum(-1, keepdim=True).clamp(min=1.0)
        closure = power = adjacency
        for _ in range(self.steps - 1):
            power = self.damping * torch.bmm(adjacency, power)
            closure = closure + power
        return self.weight * (closure - closure.transpose(-2, -1)) + pair_logits
