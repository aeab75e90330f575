"""Player-behaviour model for a roguelike: predicts the next game event
(move, attack, pick_up, quaff, descend, ...) from the run so far.

`EventModel` holds everything except the token mixer; subclasses choose
between a fused SDPA mixer and the stock nn.MultiheadAttention one.
"""
import torch
import torch.nn.functional as F
from torch import nn

EVENTS = ["<bos>", "move", "attack", "pick_up", "quaff", "read", "descend", "rest", "flee", "die"]


class EventModel(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.dim, self.heads = dim, heads
        self.embed = nn.Embedding(len(EVENTS), dim)
        self.depth_embed = nn.Embedding(30, dim)           # dungeon level of each event
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, len(EVENTS))

    def visible(self, t: int) -> torch.Tensor:
        """(t, t): event i may use events 0..i."""
        return torch.ones(t, t, dtype=torch.bool).tril()

    def mix(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def forward(self, events, levels):
        x = self.embed(events) + self.depth_embed(levels)
        x = x + self.mix(self.norm(x))
        return self.head(x)


class SdpaEventModel(EventModel):
    def __init__(self, dim=32, heads=4):
        super().__init__(dim, heads)
        self.qkv = nn.Linear(dim, 3 * dim)

    def mix(self, x):
        b, t, _ = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=self.visible(t))
        return y.transpose(1, 2).reshape(b, t, self.dim)


class TorchMhaEventModel(EventModel):
    """Same model on nn.MultiheadAttention, so attention maps can be logged."""

    def __init__(self, dim=32, heads=4):
        super().__init__(dim, heads)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def mix(self, x):
        y, self.last_weights = self.attn(x, x, x, attn_mask=self.visible(x.size(1)))  # expect: ML101
        return y


def train_step(model, opt, events, levels):
    logits = model(events[:, :-1], levels[:, :-1])
    loss = F.cross_entropy(logits.flatten(0, 1), events[:, 1:].flatten())
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    events = torch.randint(1, len(EVENTS), (4, 12))
    events[:, 0] = 0
    levels = torch.cumsum((events == EVENTS.index("descend")).long(), dim=1)
    for cls in (SdpaEventModel, TorchMhaEventModel):
        model = cls()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        print(cls.__name__, "loss", round(train_step(model, opt, events, levels), 4))
