"""Symbolic music model over MIDI-like event tokens (note-on, note-off, time-shift)."""
import torch
from torch import nn

REST_PAD = 0
N_EVENTS = 388


class EventBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, dropout=0.0, batch_first=True)
        self.ln1 = nn.LayerNorm(dim)
        self.ln2 = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, hidden):
        h = self.ln1(x)
        y, _ = self.attn(h, h, h, attn_mask=hidden, need_weights=False)  # expect: ML202
        x = x + y
        return x + self.ff(self.ln2(x))


class EventTransformer(nn.Module):
    def __init__(self, dim=64, heads=4, depth=2, max_len=256):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(N_EVENTS, dim, padding_idx=REST_PAD)
        self.pos = nn.Parameter(torch.randn(max_len, dim) * 0.02)
        self.blocks = nn.ModuleList(EventBlock(dim, heads) for _ in range(depth))
        self.out = nn.Linear(dim, N_EVENTS)

    def forward(self, ev):
        n = ev.size(1)
        future = torch.triu(torch.ones(n, n, device=ev.device), diagonal=1)
        rest = (ev == REST_PAD).float()
        hidden = torch.maximum(future[None], rest[:, None, :])
        hidden = hidden.repeat_interleave(self.heads, dim=0)
        x = self.emb(ev) + self.pos[:n]
        for blk in self.blocks:
            x = blk(x, hidden)
        return self.out(x)


@torch.no_grad()
def continue_phrase(model, prompt, steps=16, temperature=1.0):
    seq = prompt
    for _ in range(steps):
        logits = model(seq)[:, -1] / temperature
        seq = torch.cat([seq, torch.multinomial(logits.softmax(-1), 1)], dim=1)
    return seq


if __name__ == "__main__":
    torch.manual_seed(0)
    model = EventTransformer().eval()
    print(continue_phrase(model, torch.randint(1, N_EVENTS, (2, 8))))
