# EXPECT: bug
"""Mistral-style sliding-window LM on SDPA.  The window mask keeps keys with
|i - j| < window: symmetric, so each query also sees the next window-1
tokens (the causal half is missing)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SlidingWindowAttention(nn.Module):
    def __init__(self, d, heads, window, p):
        super().__init__()
        self.heads, self.window, self.p = heads, window, p
        self.q = nn.Linear(d, d, bias=False)
        self.kv = nn.Linear(d, 2 * d, bias=False)
        self.o = nn.Linear(d, d, bias=False)

    def window_mask(self, T):
        i = torch.arange(T)[:, None]
        j = torch.arange(T)[None, :]
        return (i - j).abs() < self.window

    def forward(self, x):
        B, T, D = x.shape
        q = self.q(x).view(B, T, self.heads, -1).transpose(1, 2)
        k, v = self.kv(x).view(B, T, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        keep = self.window_mask(T)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep,  # BUG-SITE
                                           dropout_p=self.p if self.training else 0.0)
        return self.o(y.transpose(1, 2).reshape(B, T, D))


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.w = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return self.w * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


class SWALM(nn.Module):
    def __init__(self, vocab=72, d=32, heads=4, window=4, layers=2, p=0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.attn = nn.ModuleList(SlidingWindowAttention(d, heads, window, p) for _ in range(layers))
        self.norm = nn.ModuleList(RMSNorm(d) for _ in range(layers))
        self.final = RMSNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids):
        x = self.embed(ids)
        for a, n in zip(self.attn, self.norm):
            x = x + a(n(x))
        return self.lm_head(self.final(x))


def run():
    torch.manual_seed(20)
    ids = torch.randint(0, 72, (3, 15))
    model = SWALM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    logits = model(ids[:, :-1])
    loss = F.cross_entropy(logits.flatten(0, 1), ids[:, 1:].flatten())
    opt.zero_grad()
    loss.backward()
    g = model.embed.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(ids[:, :-1])
    return [loss.detach(), g, ev]
