import torch
from torch import nn


def causal_bias(size, device=None):
    bias = torch.full((size, size), float("-inf"), device=device)
    bias.triu_()  # expect: ML404
    return bias


class EventDecoder(nn.Module):
    """Autoregressive model over MIDI-like event tokens."""

    def __init__(self, n_events=64, d=32, heads=4, layers=2, max_len=256):
        super().__init__()
        self.tok = nn.Embedding(n_events, d)
        self.pos = nn.Embedding(max_len, d)
        self.attn = nn.ModuleList(nn.MultiheadAttention(d, heads) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.ff = nn.ModuleList(
            nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d)) for _ in range(layers)
        )
        self.out = nn.Linear(d, n_events)
        self.weights = []

    def forward(self, events):
        seq_len = events.size(0)
        x = self.tok(events) + self.pos(torch.arange(seq_len, device=events.device))[:, None]
        mask = causal_bias(seq_len, events.device)
        self.weights = []
        for attn, norm, ff in zip(self.attn, self.norms, self.ff):
            h = norm(x)
            a, w = attn(h, h, h, attn_mask=mask)
            self.weights.append(w)
            x = x + a
            x = x + ff(x)
        return self.out(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = EventDecoder()
    events = torch.randint(0, 64, (16, 2))
    logits = model(events[:-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, 64), events[1:].reshape(-1))
    print("loss:", loss.item(), "nan weights:", bool(torch.isnan(model.weights[0]).any()))
