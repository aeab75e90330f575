"""Irregular clinical time-series encoder (PhysioNet-like), HF-style eager attention.

Observations are padded per patient; ``observed`` is 1 for a real measurement
time step and 0 for padding, like a tokenizer's attention_mask.
"""
import math

import torch
import torch.nn as nn


def get_extended_attention_mask(observed: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """(N, S) 1/0 -> (N, 1, 1, S) additive bias."""
    ext = observed[:, None, None, :].to(dtype)
    return ext * torch.finfo(dtype).min


class EagerSelfAttention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.h = heads
        self.d = hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.dense = nn.Linear(hidden, hidden)

    def split(self, x):
        return x.view(x.size(0), x.size(1), self.h, self.d).permute(0, 2, 1, 3)

    def forward(self, hidden_states, attention_mask=None):
        q, k, v = self.split(self.query(hidden_states)), self.split(self.key(hidden_states)), self.split(self.value(hidden_states))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.d)
        if attention_mask is not None:
            scores = scores + attention_mask  # expect: ML103
        probs = scores.softmax(dim=-1)
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).flatten(2)
        return self.dense(ctx)


class VitalsEncoder(nn.Module):
    def __init__(self, n_vars=37, hidden=96, heads=4, layers=2):
        super().__init__()
        self.inp = nn.Linear(2 * n_vars + 1, hidden)
        self.attn = nn.ModuleList(EagerSelfAttention(hidden, heads) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))
        self.cls = nn.Linear(hidden, 1)

    def forward(self, values, value_mask, times, observed):
        x = self.inp(torch.cat([values, value_mask, times.unsqueeze(-1)], dim=-1))
        bias = get_extended_attention_mask(observed, x.dtype)
        for attn, norm in zip(self.attn, self.norms):
            x = norm(x + attn(x, attention_mask=bias))
        w = observed.unsqueeze(-1).to(x.dtype)
        return self.cls((x * w).sum(1) / w.sum(1)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    N, S, V = 4, 48, 37
    lengths = torch.tensor([48, 30, 12, 40])
    observed = (torch.arange(S)[None] < lengths[:, None]).long()
    values, vmask = torch.randn(N, S, V), (torch.rand(N, S, V) < 0.3).float()
    times = torch.cumsum(torch.rand(N, S), 1)
    model = VitalsEncoder()
    risk = model(values, vmask, times, observed)
    loss = nn.functional.binary_cross_entropy_with_logits(risk, torch.tensor([0.0, 1.0, 0.0, 1.0]))
    print("mortality logits", [round(r, 3) for r in risk.tolist()], "loss", round(loss.item(), 4))
