# EXPECT: ok
"""Local-attention LM on nn.MultiheadAttention: the window mask is built in
the MHA convention (True = blocked) and blocks both the future and keys more
than window-1 steps back; every query keeps itself."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LocalConfig:
    def __init__(self, **kw):
        self.vocab, self.d, self.heads, self.window, self.layers, self.dropout = 70, 32, 4, 3, 2, 0.1
        self.__dict__.update(kw)


def local_block_mask(T, window):
    i = torch.arange(T).unsqueeze(1)
    j = torch.arange(T).unsqueeze(0)
    return (j > i) | (i - j >= window)


class LocalLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attn = nn.MultiheadAttention(c.d, c.heads, dropout=c.dropout, batch_first=True)
        self.norm1, self.norm2 = nn.LayerNorm(c.d), nn.LayerNorm(c.d)
        self.mlp = nn.Sequential(nn.Linear(c.d, 2 * c.d), nn.GELU(), nn.Linear(2 * c.d, c.d),
                                 nn.Dropout(c.dropout))

    def forward(self, x, mask):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


class LocalLM(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.emb = nn.Embedding(c.vocab, c.d)
        self.pos = nn.Embedding(32, c.d)
        self.layers = nn.ModuleList(LocalLayer(c) for _ in range(c.layers))
        self.head = nn.Linear(c.d, c.vocab)

    def forward(self, ids):
        T = ids.size(1)
        mask = local_block_mask(T, self.c.window)
        x = self.emb(ids) + self.pos(torch.arange(T))
        for layer in self.layers:
            x = layer(x, mask)
        return self.head(x)


def run():
    torch.manual_seed(104)
    cfg = LocalConfig(window=4)
    ids = torch.randint(0, cfg.vocab, (6, 14))
    model = LocalLM(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    logits = model(ids[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, cfg.vocab), ids[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.emb.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(ids[:3, :-1])
    return [loss.detach(), g, ev]
