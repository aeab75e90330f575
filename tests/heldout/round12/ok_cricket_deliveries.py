"""Ball-by-ball outcome model for T20 cricket.

Each delivery is a token (bowler type, line/length bucket, previous outcome);
the model predicts the outcome of the next ball from the innings so far and
returns attention weights for the broadcast graphics.
"""
import torch
import torch.nn.functional as F
from torch import nn

OUTCOMES = ["dot", "1", "2", "3", "4", "6", "wide", "no_ball", "wicket"]
BOWLING = ["right_fast", "right_medium", "left_fast", "off_spin", "leg_spin", "left_orthodox"]
MAX_BALLS = 160                                  # 20 overs plus extras


def future_deliveries(n: int) -> torch.Tensor:
    """(n, n) bool, True strictly above the diagonal (a ball sees itself and earlier balls)."""
    mask = torch.zeros(n, n, dtype=torch.bool)
    above = torch.triu_indices(n, n, offset=1)
    mask.index_put_((above[0], above[1]), torch.tensor(True))
    return mask


class InningsModel(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2):
        super().__init__()
        self.bowler = nn.Embedding(len(BOWLING), dim)
        self.length = nn.Embedding(8, dim)
        self.prev = nn.Embedding(len(OUTCOMES) + 1, dim)
        self.over = nn.Embedding(21, dim)
        self.mha = nn.ModuleList(nn.MultiheadAttention(dim, heads, batch_first=True) for _ in range(depth))
        self.lns = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, len(OUTCOMES))
        self.register_buffer("future", future_deliveries(MAX_BALLS), persistent=False)

    def forward(self, bowler, length, prev_outcome, over):
        t = bowler.size(1)
        x = self.bowler(bowler) + self.length(length) + self.prev(prev_outcome) + self.over(over)
        weights = []
        for mha, ln in zip(self.mha, self.lns):
            h = ln(x)
            y, w = mha(h, h, h, attn_mask=self.future[:t, :t], need_weights=True)
            x = x + y
            weights.append(w)
        return self.head(x), weights


if __name__ == "__main__":
    torch.manual_seed(0)
    balls = 24
    outcome = torch.randint(0, len(OUTCOMES), (2, balls))
    prev_outcome = torch.cat([torch.full((2, 1), len(OUTCOMES)), outcome[:, :-1]], dim=1)
    bowler = torch.randint(0, len(BOWLING), (2, 1)).expand(-1, balls)
    length = torch.randint(0, 8, (2, balls))
    over = torch.arange(balls).div(6, rounding_mode="floor").expand(2, -1)
    model = InningsModel()
    logits, weights = model(bowler, length, prev_outcome, over)
    loss = F.cross_entropy(logits.flatten(0, 1), outcome.flatten())
    loss.backward()
    print("loss", round(loss.item(), 4), "first ball attends to itself:", weights[0][0, 0, 0].item())
