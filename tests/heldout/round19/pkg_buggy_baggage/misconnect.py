import torch
import torch.nn as nn

from .tracking import SCANNERS


def flown_so_far(leg_of_token, leg_departed):
    """(N, L, L) bool, True = blocked. Token i may read token j if j's leg has departed or j is on i's leg."""
    same_leg = leg_of_token[:, :, None] == leg_of_token[:, None, :]
    departed = torch.gather(leg_departed, 1, leg_of_token)[:, None, :]
    return ~(same_leg | departed)


def per_head(mask, num_heads):
    n, l, s = mask.shape
    return mask.unsqueeze(0).expand(num_heads, n, l, s).reshape(num_heads * n, l, s)  # BUG: head-major stacking (h*N + b); MultiheadAttention indexes the 3-D mask as b*num_heads + h, so bags get each other's masks


class MisconnectScorer(nn.Module):
    def __init__(self, d=64, heads=4, layers=2, max_legs=4):
        super().__init__()
        self.heads = heads
        self.scanner = nn.Embedding(len(SCANNERS), d)
        self.leg = nn.Embedding(max_legs, d)
        self.slack = nn.Linear(1, d)  # minutes of connection slack at the token's leg
        self.attn = nn.ModuleList(nn.MultiheadAttention(d, heads, batch_first=True) for _ in range(layers))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.risk = nn.Linear(d, 1)

    def forward(self, scans, leg_of_token, leg_departed, slack_min):
        x = self.scanner(scans) + self.leg(leg_of_token) + self.slack(slack_min.unsqueeze(-1) / 60.0)
        mask = per_head(flown_so_far(leg_of_token, leg_departed), self.heads)
        for attn, norm in zip(self.attn, self.norm):
            h = norm(x)
            x = x + attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return self.risk(x[:, -1]).squeeze(-1)
