# EXPECT: ok
"""nn.MultiheadAttention called fully positionally, in the right slots:
(query, key, value, key_padding_mask, need_weights, attn_mask).  Padding goes
to position 3 and the causal mask to position 5; batch 5, length 9."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Subclassed(nn.MultiheadAttention):
    """Adds a residual and norm around MultiheadAttention."""

    def __init__(self, d, h, p):
        super().__init__(d, h, dropout=p, batch_first=True)
        self.norm = nn.LayerNorm(d)

    def block(self, x, pad, causal):
        h = self.norm(x)
        out, _ = super().forward(h, h, h, pad, False, causal)
        return x + out


class LM(nn.Module):
    def __init__(self, vocab=60, d=32, h=4, n=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(16, d)
        self.layers = nn.ModuleList(Subclassed(d, h, p) for _ in range(n))
        self.ffs = nn.ModuleList(nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.ReLU(),
                                               nn.Dropout(p), nn.Linear(2 * d, d)) for _ in range(n))
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        T = ids.size(1)
        pad = ids == 0
        causal = torch.ones(T, T, dtype=torch.bool).triu(1)
        x = self.emb(ids) + self.pos(torch.arange(T))
        for attn, ff in zip(self.layers, self.ffs):
            x = attn.block(x, pad, causal)
            x = x + ff(x)
        return self.head(x)


def run():
    torch.manual_seed(120)
    ids = torch.randint(1, 60, (5, 10))
    ids[1, 7:] = 0
    ids[4, 4:] = 0
    model = LM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    logits = model(ids[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 60), ids[:, 1:].reshape(-1), ignore_index=0)
    opt.zero_grad()
    loss.backward()
    g = model.emb.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(ids[:, :-1])
    return [loss.detach(), g, ev]
