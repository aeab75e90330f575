# EXPECT: bug
"""KV-cache decoding where a chunk of new tokens (3 queries) attends to the
cache plus itself (9 keys) with is_causal=True.  SDPA aligns is_causal to the
upper-left when L != S, so the first new token sees only the first cached key."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CachedAttention(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.heads = heads
        self.wq, self.wk, self.wv, self.wo = (nn.Linear(d, d) for _ in range(4))
        self.p = p

    def split(self, t):
        B, T, D = t.shape
        return t.view(B, T, self.heads, D // self.heads).transpose(1, 2)

    def forward(self, x, cache=None):
        q, k, v = self.split(self.wq(x)), self.split(self.wk(x)), self.split(self.wv(x))
        if cache is not None:
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True,  # BUG-SITE
                                           dropout_p=self.p if self.training else 0.0)
        B, H, T, hd = y.shape
        return self.wo(y.transpose(1, 2).reshape(B, T, H * hd)), (k, v)


class Decoder(nn.Module):
    def __init__(self, vocab=66, d=32, heads=4, n=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(32, d)
        self.attn = nn.ModuleList(CachedAttention(d, heads, p) for _ in range(n))
        self.mlp = nn.ModuleList(nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Dropout(p),
                                               nn.Linear(2 * d, d)) for _ in range(n))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(2 * n))
        self.head = nn.Linear(d, vocab)

    def forward(self, ids, past=None, start=0):
        x = self.emb(ids) + self.pos(torch.arange(start, start + ids.size(1)))
        present = []
        for i, (attn, mlp) in enumerate(zip(self.attn, self.mlp)):
            a, kv = attn(self.norm[2 * i](x), None if past is None else past[i])
            present.append(kv)
            x = x + a
            x = x + mlp(self.norm[2 * i + 1](x))
        return self.head(x), present


def run():
    torch.manual_seed(13)
    ids = torch.randint(0, 66, (2, 10))
    model = Decoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    logits, _ = model(ids[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 66), ids[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.head.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        _, cache = model(ids[:, :6])                       # prefill 6 tokens
        chunk, _ = model(ids[:, 6:9], past=cache, start=6)  # speculative chunk of 3
    return [loss.detach(), g, chunk]
