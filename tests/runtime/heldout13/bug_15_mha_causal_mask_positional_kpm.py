# EXPECT: bug
"""Fixed-window LM (context 8, batch 8) calling nn.MultiheadAttention with the
causal mask as the 4th positional argument.  That slot is key_padding_mask, not
attn_mask; because batch == context length the (8, 8) mask fits the (N, S)
padding shape and each *sample* b loses keys > b instead of each query."""
import torch
import torch.nn as nn
import torch.nn.functional as F

CTX = 8


class Block(nn.Module):
    def __init__(self, d=32, h=4, p=0.1):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, dropout=p, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d), nn.Dropout(p))
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.register_buffer("causal", torch.triu(torch.ones(CTX, CTX, dtype=torch.bool), 1))

    def forward(self, x):
        h = self.ln1(x)
        a = self.attn(h, h, h, self.causal, need_weights=False)[0]  # BUG-SITE
        x = x + a
        return x + self.mlp(self.ln2(x))


class WindowLM(nn.Module):
    def __init__(self, vocab=45, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.randn(CTX, d) * 0.02)
        self.blocks = nn.Sequential(Block(d), Block(d))
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        return self.head(self.blocks(self.emb(ids) + self.pos))


def windows(stream, batch):
    starts = torch.arange(batch) * 3
    x = torch.stack([stream[s:s + CTX] for s in starts.tolist()])
    y = torch.stack([stream[s + 1:s + CTX + 1] for s in starts.tolist()])
    return x, y


def run():
    torch.manual_seed(15)
    stream = torch.randint(0, 45, (64,))
    x, y = windows(stream, batch=8)
    model = WindowLM()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    model.train()
    loss = F.cross_entropy(model(x).reshape(-1, 45), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.pos.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        out = model(x)
    return [loss.detach(), g, out]
