"""Football match event model: predicts the next on-ball event type and pitch zone."""
import torch
from torch import nn

N_EVENT_TYPES, N_ZONES, PAD = 40, 48, 0


class MatchEventModel(nn.Module):
    def __init__(self, dim=64, heads=4, layers=2):
        super().__init__()
        self.heads = heads
        self.event = nn.Embedding(N_EVENT_TYPES, dim, padding_idx=PAD)
        self.zone = nn.Embedding(N_ZONES, dim)
        self.clock = nn.Linear(1, dim)
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads, batch_first=True) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.next_event = nn.Linear(dim, N_EVENT_TYPES)
        self.next_zone = nn.Linear(dim, N_ZONES)

    def forward(self, events, zones, seconds):
        n = events.size(1)
        x = self.event(events) + self.zone(zones) + self.clock(seconds.unsqueeze(-1) / 5400.0)
        later = torch.ones(n, n, dtype=torch.bool, device=events.device).triu(1)
        blocked = later[None] | (events == PAD)[:, None, :]
        blocked = blocked[:, None].expand(-1, self.heads, -1, -1)
        for attn, norm in zip(self.attn, self.norms):
            h = norm(x)
            x = x + attn(h, h, h, attn_mask=blocked, need_weights=False)[0]  # expect: ML301
        return self.next_event(x), self.next_zone(x)


def possession_batch(n_seq=4, n=20, seed=0):
    g = torch.Generator().manual_seed(seed)
    events = torch.randint(1, N_EVENT_TYPES, (n_seq, n), generator=g)
    events[1, 15:] = PAD
    zones = torch.randint(0, N_ZONES, (n_seq, n), generator=g)
    seconds = torch.sort(torch.rand(n_seq, n, generator=g) * 5400, dim=1).values
    return events, zones, seconds


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MatchEventModel()
    ev, zo, sec = possession_batch()
    ev_logits, zone_logits = model(ev[:, :-1], zo[:, :-1], sec[:, :-1])
    loss = nn.functional.cross_entropy(ev_logits.transpose(1, 2), ev[:, 1:], ignore_index=PAD)
    print(loss.item())
