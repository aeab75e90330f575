"""Autoregressive scorer whose keep-mask is a cached_property of the module."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F


class NextEventModel(nn.Module):
    def __init__(self, n_types=20, dim=32, heads=4, horizon=16):
        super().__init__()
        self.horizon, self.heads = horizon, heads
        self.emb = nn.Embedding(n_types, dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.head = nn.Linear(dim, n_types)

    @functools.cached_property
    def history_mask(self) -> torch.Tensor:
        # each event may attend to the events before it
        t = torch.arange(self.horizon)
        return t[:, None] > t[None, :]

    def forward(self, events):
        B, T = events.shape
        x = self.emb(events)
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=self.history_mask[:T, :T].to(x.device),  # expect: ML404
        )
        return self.head(y.transpose(1, 2).reshape(B, T, -1))


if __name__ == "__main__":
    m = NextEventModel()
    out = m(torch.randint(0, 20, (2, 5)))
    print("first event output (empty attention):", out[0, 0, :3])
