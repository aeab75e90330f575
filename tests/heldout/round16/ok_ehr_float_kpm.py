"""Mortality prediction from ICU stays: a CLS-style query attends over the
sequence of charted events; padding is passed as an additive float mask."""
import torch
import torch.nn as nn


class EventPooling(nn.Module):
    def __init__(self, n_items=400, dim=64, heads=4):
        super().__init__()
        self.item = nn.Embedding(n_items, dim, padding_idx=0)
        self.value = nn.Linear(1, dim)
        self.hours = nn.Linear(1, dim)
        self.query = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.pool = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.out = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 1))

    def forward(self, items, values, hours):
        x = self.item(items) + self.value(values.unsqueeze(-1)) + self.hours(hours.unsqueeze(-1))
        neg = torch.zeros(items.shape, dtype=x.dtype, device=x.device)
        neg = neg.masked_fill(items == 0, float("-inf"))
        q = self.query.expand(items.size(0), -1, -1)
        pooled, weights = self.pool(q, x, x, key_padding_mask=neg)
        return self.out(pooled.squeeze(1)).squeeze(-1), weights


if __name__ == "__main__":
    model = EventPooling()
    items = torch.randint(1, 400, (4, 30))
    items[2, 18:] = 0
    items[3, 5:] = 0
    values, hours = torch.randn(4, 30), torch.rand(4, 30).cumsum(1)
    logit, attn = model(items, values, hours)
    print(logit.shape, attn.shape, attn[3, 0, 5:].abs().max().item())
