# EXPECT: ok
"""Symbolic-music decoder on nn.MultiheadAttention; the causal mask is passed and is_causal
is given as a hint beside it, as the docs describe."""
import torch
import torch.nn as nn


class MusicBlock(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, h, dropout=p, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Dropout(p), nn.Linear(4 * d, d))

    def forward(self, x, causal_mask):
        y = self.ln1(x)
        y, _ = self.attn(y, y, y, attn_mask=causal_mask, need_weights=False, is_causal=True)
        x = x + y
        return x + self.ff(self.ln2(x))


class MusicLM(nn.Module):
    def __init__(self, n_events=90, d=32, h=4, n=2, p=0.1, max_len=32):
        super().__init__()
        self.emb = nn.Embedding(n_events, d)
        self.pos = nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList([MusicBlock(d, h, p) for _ in range(n)])
        self.out = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, n_events))
        self.register_buffer("causal", nn.Transformer.generate_square_subsequent_mask(max_len, dtype=torch.bool))

    def forward(self, events):
        T = events.size(1)
        x = self.emb(events) + self.pos(torch.arange(T))
        for blk in self.blocks:
            x = blk(x, self.causal[:T, :T])
        return self.out(x)


def run():
    torch.manual_seed(0)
    model = MusicLM()
    opt = torch.optim.Adam(model.parameters(), lr=5e-4)
    ev_seq = torch.randint(0, 90, (3, 15))
    model.train()
    logits = model(ev_seq[:, :-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, 90), ev_seq[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(ev_seq[:, :-1])
    return [loss.detach(), ev]
