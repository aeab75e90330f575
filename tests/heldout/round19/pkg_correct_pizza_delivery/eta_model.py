import torch
import torch.nn as nn

from .collate import EVENT_TYPES


class EventBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, dropout=0.1, batch_first=True)
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d), nn.LayerNorm(d))

    def forward(self, x, key_padding_mask):
        y, _ = self.attn(x, x, x, key_padding_mask=key_padding_mask)
        x = self.norm(x + y)
        return x + self.ff(x)


class DeliveryETA(nn.Module):
    def __init__(self, d=64, heads=4, depth=2):
        super().__init__()
        self.event = nn.Embedding(len(EVENT_TYPES), d)
        self.clock = nn.Linear(1, d)
        self.blocks = nn.ModuleList(EventBlock(d, heads) for _ in range(depth))
        self.out = nn.Linear(d, 1)

    def forward(self, input_ids, minutes, attention_mask):
        pad = attention_mask == 0
        x = self.event(input_ids) + self.clock(minutes.unsqueeze(-1) / 60.0)
        for blk in self.blocks:
            x = blk(x, pad)
        w = attention_mask.unsqueeze(-1).to(x.dtype)
        return self.out((x * w).sum(1) / w.sum(1)).squeeze(-1)
