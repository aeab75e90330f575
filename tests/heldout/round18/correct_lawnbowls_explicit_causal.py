"""Bowl-by-bowl shot-value model for lawn-bowls scoring apps.

Within an end, each delivered bowl is a token (team, player position, hand,
length, resulting head summary). The app shows the expected shots after every
bowl, so each position may only use the bowls delivered so far.
"""
import torch
import torch.nn as nn


class BowlSequenceScorer(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.team = nn.Embedding(2, d)
        self.position = nn.Embedding(4, d)    # lead, second, third, skip
        self.hand = nn.Embedding(2, d)        # forehand / backhand
        self.head_state = nn.Linear(8, d)
        self.pos = nn.Embedding(16, d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.value = nn.Linear(d, 1)

    def forward(self, team, position, hand, head_state):
        T = team.size(1)
        x = self.team(team) + self.position(position) + self.hand(hand) + self.head_state(head_state)
        x = x + self.pos(torch.arange(T, device=team.device))
        later = nn.Transformer.generate_square_subsequent_mask(T, device=x.device, dtype=x.dtype)
        a, _ = self.attn(x, x, x, attn_mask=later, is_causal=True, need_weights=False)
        x = self.norm(x + a)
        return self.value(x + self.ff(x)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BowlSequenceScorer()
    T = 16
    args = (torch.arange(T).remainder(2).repeat(2, 1), (torch.arange(T) // 4).repeat(2, 1),
            torch.randint(0, 2, (2, T)), torch.randn(2, T, 8))
    out = model(*args)
    out.sum().backward()
    model.eval()
    with torch.inference_mode():
        print(model(*args)[:, :4])
