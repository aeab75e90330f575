import torch
from torch import nn

from .layers import EventBlock
from .masks import lookahead_table

EVENT_TYPES = ("limit_buy", "limit_sell", "cancel_buy", "cancel_sell", "market_buy", "market_sell", "trade")


class OrderFlowModel(nn.Module):
    def __init__(self, dim: int = 32, heads: int = 4, depth: int = 2, max_events: int = 256):
        super().__init__()
        self.kind = nn.Embedding(len(EVENT_TYPES), dim)
        self.numeric = nn.Linear(3, dim)            # log size, price offset in ticks, log inter-arrival
        self.blocks = nn.ModuleList(EventBlock(dim, heads) for _ in range(depth))
        self.next_kind = nn.Linear(dim, len(EVENT_TYPES))
        self.register_buffer("lookahead", lookahead_table(max_events), persistent=False)

    def forward(self, kinds, numeric):
        t = kinds.size(1)
        hidden = self.lookahead[:t, :t]
        x = self.kind(kinds) + self.numeric(numeric)
        maps = []
        for blk in self.blocks:
            x, w = blk(x, hidden)
            maps.append(w)
        return self.next_kind(x), maps


def main():
    torch.manual_seed(0)
    model = OrderFlowModel()
    kinds = torch.randint(0, len(EVENT_TYPES), (2, 16))
    numeric = torch.randn(2, 16, 3)
    logits, maps = model(kinds[:, :-1], numeric[:, :-1])
    loss = nn.functional.cross_entropy(logits.flatten(0, 1), kinds[:, 1:].flatten())
    print("next-event loss", loss.item(), "| attribution map", tuple(maps[-1].shape))
