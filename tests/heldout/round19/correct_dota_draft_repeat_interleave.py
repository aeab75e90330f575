"""Draft-phase recommender for Dota-style pick/ban sequences. Radiant and Dire drafts differ in
order, so each draft carries its own attention mask."""
import torch
from torch import nn

N_HEROES = 124
BAN, PICK = 0, 1


def draft_mask(side, order):
    # side: (N, L) 0 radiant / 1 dire; order: (N, L) pick index within the draft
    # a slot may look at every earlier slot, and at its own side's simultaneous slot
    earlier = order[:, None, :] < order[:, :, None]
    simultaneous = (order[:, None, :] == order[:, :, None]) & (side[:, None, :] == side[:, :, None])
    return ~(earlier | simultaneous)


class DraftModel(nn.Module):
    def __init__(self, width=64, heads=4, depth=2):
        super().__init__()
        self.heads = heads
        self.hero = nn.Embedding(N_HEROES + 1, width)
        self.action = nn.Embedding(2, width)
        self.side = nn.Embedding(2, width)
        self.layers = nn.ModuleList(nn.MultiheadAttention(width, heads, batch_first=True) for _ in range(depth))
        self.ff = nn.ModuleList(nn.Sequential(nn.LayerNorm(width), nn.Linear(width, width)) for _ in range(depth))
        self.recommend = nn.Linear(width, N_HEROES)

    def forward(self, heroes, action, side, order):
        x = self.hero(heroes) + self.action(action) + self.side(side)
        blocked = draft_mask(side, order).repeat_interleave(self.heads, dim=0)
        for attn, ff in zip(self.layers, self.ff):
            x = x + attn(x, x, x, attn_mask=blocked, need_weights=False)[0]
            x = x + ff(x)
        return self.recommend(x)


if __name__ == "__main__":
    N, L = 2, 10
    heroes = torch.randint(0, N_HEROES, (N, L))
    action = torch.tensor([[BAN] * 4 + [PICK] * 6] * N)
    side = torch.randint(0, 2, (N, L))
    order = torch.arange(L).expand(N, L)
    print(DraftModel()(heroes, action, side, order).shape)
