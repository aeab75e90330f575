# EXPECT: bug
"""Causal LM on SDPA that passes the padding keep-mask *and* is_causal=True.
SDPA refuses an explicit mask together with is_causal when dropout is on."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attn(nn.Module):
    def __init__(self, dim, n_heads, attn_dropout):
        super().__init__()
        self.n_heads = n_heads
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.to_out = nn.Linear(dim, dim)
        self.attn_dropout = attn_dropout

    def forward(self, x, key_keep):
        b, n, _ = x.shape
        qkv = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = (t.reshape(b, n, self.n_heads, -1).transpose(1, 2) for t in qkv)
        out = F.scaled_dot_product_attention(  # BUG-SITE
            q, k, v, attn_mask=key_keep[:, None, None, :],
            dropout_p=self.attn_dropout if self.training else 0.0, is_causal=True)
        return self.to_out(out.transpose(1, 2).reshape(b, n, -1))


class LM(nn.Module):
    def __init__(self, vocab=50, dim=32, heads=4, depth=2, p=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Parameter(torch.randn(24, dim) * 0.02)
        self.layers = nn.ModuleList(nn.ModuleList([nn.LayerNorm(dim), Attn(dim, heads, p)])
                                    for _ in range(depth))
        self.out = nn.Linear(dim, vocab)

    def forward(self, ids, keep):
        x = self.tok(ids) + self.pos[: ids.size(1)]
        for norm, attn in self.layers:
            x = x + attn(norm(x), keep)
        return self.out(x)


def run():
    torch.manual_seed(14)
    ids = torch.randint(1, 50, (4, 11))
    keep = torch.ones(4, 11, dtype=torch.bool)
    keep[0, 7:] = False
    keep[2, 9:] = False
    ids = ids.masked_fill(~keep, 0)
    model = LM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    logits = model(ids[:, :-1], keep[:, :-1])
    tgt = ids[:, 1:].masked_fill(~keep[:, 1:], -100)
    loss = F.cross_entropy(logits.reshape(-1, 50), tgt.reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.pos.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(ids[:, :-1], keep[:, :-1])
    return [loss.detach(), g, ev]
