"""Basketball possession-outcome model on player-tracking frames.

Every frame has up to 10 player slots plus the ball.  Slots whose player is
off the court (substitution windows, tracking dropouts) are hidden, but every
entity can always attend to the ball, so no row is empty.
"""
import torch
import torch.nn.functional as F
from torch import nn

N_SLOTS = 11                      # 10 players + ball (last slot)
OUTCOMES = ["made_2", "made_3", "miss", "turnover", "foul"]


def visibility(on_court: torch.Tensor) -> torch.Tensor:
    """on_court (B, 11) bool -> (B, 11, 11) bool, True = may attend."""
    vis = on_court[:, None, :] & on_court[:, :, None]
    vis = vis.index_fill(2, torch.tensor([N_SLOTS - 1]), True)     # the ball is always visible
    return vis | torch.eye(N_SLOTS, dtype=torch.bool)


class EntityAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, vis):
        b, e, d = x.shape
        q, k, v = self.qkv(x).view(b, e, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=vis)  # expect: ML301
        return self.out(y.transpose(1, 2).reshape(b, e, d))


class PossessionModel(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2):
        super().__init__()
        self.state = nn.Linear(4, dim)                        # x, y, vx, vy
        self.team = nn.Embedding(3, dim)                      # offence, defence, ball
        self.layers = nn.ModuleList(EntityAttention(dim, heads) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, len(OUTCOMES))

    def forward(self, states, on_court):
        team = torch.tensor([0] * 5 + [1] * 5 + [2], device=states.device)
        x = self.state(states) + self.team(team)
        vis = visibility(on_court)
        for attn, norm in zip(self.layers, self.norms):
            x = x + attn(norm(x), vis)
        return self.head(x[:, -1])                # read out at the ball slot


if __name__ == "__main__":
    torch.manual_seed(0)
    batch = 4
    states = torch.randn(batch, N_SLOTS, 4)
    on_court = torch.ones(batch, N_SLOTS, dtype=torch.bool)
    on_court[1, 3] = on_court[2, 7] = on_court[3, 0] = False   # dropouts / substitutions
    outcome = torch.tensor([0, 2, 1, 3])
    model = PossessionModel()
    loss = F.cross_entropy(model(states, on_court), outcome)
    loss.backward()
    print("possession loss", round(loss.item(), 4))
