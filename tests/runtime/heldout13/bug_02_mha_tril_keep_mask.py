# EXPECT: bug
"""Seq-first character LM on nn.MultiheadAttention.  The causal helper returns a
lower-triangular *keep* mask (True = may attend), the convention of SDPA; the
MultiheadAttention attn_mask reads True as "blocked", so every query is blocked
from its past and the last query from everything."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def causal_mask(sz: int) -> torch.Tensor:
    # True where query i may look at key j
    return torch.tril(torch.ones(sz, sz, dtype=torch.bool))


class DecoderBlock(nn.Module):
    def __init__(self, d_model, nhead, dropout):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout)
        self.ff = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.ReLU(),
                                nn.Dropout(dropout), nn.Linear(2 * d_model, d_model))
        self.n1 = nn.LayerNorm(d_model)
        self.n2 = nn.LayerNorm(d_model)

    def forward(self, x, mask):
        h = self.n1(x)
        a, _ = self.attn(h, h, h, attn_mask=mask)  # BUG-SITE
        x = x + a
        return x + self.ff(self.n2(x))


class CharLM(nn.Module):
    def __init__(self, vocab=40, d_model=24, nhead=3, layers=2, dropout=0.1, max_len=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model)
        self.pos = nn.Parameter(torch.randn(max_len, 1, d_model) * 0.02)
        self.blocks = nn.ModuleList([DecoderBlock(d_model, nhead, dropout) for _ in range(layers)])
        self.out = nn.Linear(d_model, vocab)

    def forward(self, tokens):  # tokens: (T, B)
        T = tokens.size(0)
        x = self.emb(tokens) + self.pos[:T]
        mask = causal_mask(T)
        for b in self.blocks:
            x = b(x, mask)
        return self.out(x)


def run():
    torch.manual_seed(1)
    model = CharLM()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    seq = torch.randint(0, 40, (11, 4))  # (T+1, B)
    inp, tgt = seq[:-1], seq[1:]
    model.train()
    logits = model(inp)
    loss = F.cross_entropy(logits.view(-1, 40), tgt.reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.emb.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(inp[:, :2]).softmax(-1)
    return [loss.detach(), g, ev]
