# EXPECT: bug
"""Music-token decoder-only model.  The causal mask is torch.tril(torch.ones(T, T))
as float: nn.MultiheadAttention adds float masks to the logits, so a 0/1 mask
is a +1 bias on the past and masks nothing (future fully visible)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Cfg:
    vocab = 48
    d = 32
    heads = 4
    ff = 64
    layers = 2
    p = 0.15


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.mha = nn.MultiheadAttention(c.d, c.heads, dropout=c.p, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(c.d, c.ff), nn.GELU(), nn.Linear(c.ff, c.d))
        self.ln1, self.ln2 = nn.LayerNorm(c.d), nn.LayerNorm(c.d)
        self.drop = nn.Dropout(c.p)

    def forward(self, x, attn_mask):
        y = self.ln1(x)
        y, _ = self.mha(y, y, y, attn_mask=attn_mask, need_weights=False)  # BUG-SITE
        x = x + self.drop(y)
        return x + self.drop(self.ff(self.ln2(x)))


class MusicLM(nn.Module):
    def __init__(self, c=Cfg):
        super().__init__()
        self.tok = nn.Embedding(c.vocab, c.d)
        self.pos = nn.Embedding(64, c.d)
        self.layers = nn.ModuleList(Layer(c) for _ in range(c.layers))
        self.head = nn.Linear(c.d, c.vocab)

    def forward(self, x):
        T = x.size(1)
        h = self.tok(x) + self.pos.weight[:T]
        mask = torch.tril(torch.ones(T, T))
        for layer in self.layers:
            h = layer(h, mask)
        return self.head(h)


def run():
    torch.manual_seed(3)
    model = MusicLM()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.01)
    notes = torch.randint(0, Cfg.vocab, (7, 15))
    model.train()
    logits = model(notes[:, :-1])
    loss = F.cross_entropy(logits.transpose(1, 2), notes[:, 1:])
    opt.zero_grad()
    loss.backward()
    grad = model.pos.weight.grad[:14].clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        nxt = model(notes[:3, :8])[:, -1]
    return [loss.detach(), grad, nxt]
