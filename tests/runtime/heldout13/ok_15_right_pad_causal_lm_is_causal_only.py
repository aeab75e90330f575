# EXPECT: ok
"""Causal LM with *right* padding that uses SDPA is_causal=True and no padding
mask: a real token never has padding before it, so causality alone keeps
padding out of every real position; the loss ignores pad positions."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalAttention(nn.Module):
    def __init__(self, d, n_head, p):
        super().__init__()
        self.n_head, self.p = n_head, p
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.n_head, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True,
                                           dropout_p=self.p if self.training else 0.0)
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


class LM(nn.Module):
    def __init__(self, vocab=55, d=32, n_head=4, n_layer=2, p=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(32, d)
        self.attn = nn.ModuleList(CausalAttention(d, n_head, p) for _ in range(n_layer))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(),
                                               nn.Dropout(p), nn.Linear(2 * d, d))
                                 for _ in range(n_layer))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(n_layer))
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        x = self.tok(ids) + self.pos(torch.arange(ids.size(1)))
        for a, m, ln in zip(self.attn, self.mlp, self.ln):
            x = x + a(ln(x))
            x = x + m(x)
        return self.head(x)


def run():
    torch.manual_seed(115)
    PAD = 0
    lens = [12, 6, 9, 12, 4, 10, 12]
    ids = torch.full((7, 12), PAD)
    for i, n in enumerate(lens):
        ids[i, :n] = torch.randint(1, 55, (n,))
    model = LM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    logits = model(ids[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 55), ids[:, 1:].reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    g = model.tok.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        last = torch.stack([model(ids[i:i + 1, :n])[0, -1] for i, n in enumerate(lens)])
    return [loss.detach(), g, last]
