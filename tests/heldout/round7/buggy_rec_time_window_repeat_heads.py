"""Time-aware sequential recommender (TiSASRec flavour): every user gets a
causal mask further restricted to interactions inside a recency window, so the
mask differs per user and is stacked per head for nn.MultiheadAttention."""
import argparse

import torch
import torch.nn as nn


def parse_args(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--hidden", type=int, default=32)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--window_days", type=float, default=3.0)
    return p.parse_args(argv)


def recency_block_mask(timestamps, pad, window):
    """(B, L, L) bool, True = blocked: future, padding keys, or older than the window.
    The diagonal is always open so left-padded rows keep one key."""
    L = timestamps.size(1)
    future = torch.ones(L, L, dtype=torch.bool).triu(1)
    age = timestamps[:, :, None] - timestamps[:, None, :]
    stale = age > window
    blocked = future[None] | stale | pad[:, None, :]
    eye = torch.eye(L, dtype=torch.bool)[None]
    return blocked & ~eye


class TimeAwareBlock(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads = heads
        self.ln = nn.LayerNorm(hidden)
        self.attn = nn.MultiheadAttention(hidden, heads, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(hidden, hidden), nn.GELU(), nn.Linear(hidden, hidden))

    def forward(self, x, block3d):
        h = self.ln(x)
        h, _ = self.attn(h, h, h, attn_mask=block3d, need_weights=False)
        x = x + h
        return x + self.ff(x)


class TimeAwareRec(nn.Module):
    def __init__(self, args, n_items=50):
        super().__init__()
        self.args = args
        self.emb = nn.Embedding(n_items, args.hidden, padding_idx=0)
        self.blocks = nn.ModuleList([TimeAwareBlock(args.hidden, args.heads) for _ in range(2)])

    def forward(self, items, days):
        pad = items == 0
        mask = recency_block_mask(days, pad, self.args.window_days)
        mask = mask.repeat(self.args.heads, 1, 1)
        x = self.emb(items)
        for blk in self.blocks:
            x = blk(x, mask)  # expect: ML302
        return x[:, -1]


if __name__ == "__main__":
    torch.manual_seed(0)
    args = parse_args([])
    model = TimeAwareRec(args)
    items = torch.tensor([[0, 0, 4, 9, 12, 3], [7, 8, 2, 5, 6, 1], [0, 3, 3, 8, 9, 10]])
    days = torch.tensor([[0, 0, 1.0, 2.0, 6.0, 7.0], [0.0, 0.5, 1.0, 5.0, 5.5, 9.0], [0, 1.0, 2.0, 3.0, 4.0, 5.0]])
    with torch.no_grad():
        batched = model(items, days)
        alone = torch.cat([model(items[i:i + 1], days[i:i + 1]) for i in range(3)])
    diff = (batched - alone).abs().max().item()
    print("batched vs one-user-at-a-time:", diff)
    assert diff > 1e-3
