import torch
from torch import nn


def future_bias(size, device=None):
    bias = torch.full((size, size), float("-inf"), device=device)
    bias.triu_(1)
    return bias


class EventLM(nn.Module):
    def __init__(self, n_events=64, d=32, heads=4, layers=2, max_len=256):
        super().__init__()
        self.tok = nn.Embedding(n_events, d)
        self.pos = nn.Embedding(max_len, d)
        self.attn = nn.ModuleList(nn.MultiheadAttention(d, heads) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.out = nn.Linear(d, n_events)

    def forward(self, events):
        n = events.size(0)
        x = self.tok(events) + self.pos(torch.arange(n, device=events.device))[:, None]
        mask = future_bias(n, events.device)
        for attn, norm in zip(self.attn, self.norms):
            h = norm(x)
            a, _ = attn(h, h, h, attn_mask=mask)
            x = x + a
        return self.out(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    events = torch.randint(0, 64, (16, 2))
    logits = EventLM()(events[:-1])
    print("loss", nn.functional.cross_entropy(logits.reshape(-1, 64), events[1:].reshape(-1)).item())
