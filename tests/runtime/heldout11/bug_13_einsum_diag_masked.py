# EXPECT: bug
"""lucidrains-style autoregressive transformer for symbolic music, einsum attention."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import einsum


def exists(v):
    return v is not None


class Attention(nn.Module):
    def __init__(self, dim, heads=4, dim_head=8, dropout=0.1, causal=True):
        super().__init__()
        inner = heads * dim_head
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.causal = causal
        self.to_qkv = nn.Linear(dim, inner * 3, bias=False)
        self.to_out = nn.Linear(inner, dim)
        self.attn_drop = nn.Dropout(dropout)

    def forward(self, x, mask=None):
        b, n, _ = x.shape
        h = self.heads
        q, k, v = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = (t.reshape(b, n, h, -1).transpose(1, 2) for t in (q, k, v))
        sim = einsum("b h i d, b h j d -> b h i j", q, k) * self.scale
        mask_value = -torch.finfo(sim.dtype).max
        if exists(mask):
            sim = sim.masked_fill(~mask[:, None, None, :], mask_value)
        if self.causal:
            causal_mask = torch.ones(n, n, device=x.device, dtype=torch.bool).triu()
            sim = sim.masked_fill(causal_mask, mask_value)  # BUG-SITE
        attn = self.attn_drop(sim.softmax(dim=-1))
        out = einsum("b h i j, b h j d -> b h i d", attn, v)
        return self.to_out(out.transpose(1, 2).reshape(b, n, -1))


class MusicTransformer(nn.Module):
    def __init__(self, num_tokens=90, dim=32, depth=2, max_seq_len=32):
        super().__init__()
        self.token_emb = nn.Embedding(num_tokens, dim)
        self.pos_emb = nn.Embedding(max_seq_len, dim)
        self.layers = nn.ModuleList([])
        for _ in range(depth):
            self.layers.append(nn.ModuleList([nn.LayerNorm(dim), Attention(dim), nn.LayerNorm(dim),
                                              nn.Sequential(nn.Linear(dim, dim * 4), nn.GELU(), nn.Dropout(0.1),
                                                            nn.Linear(dim * 4, dim))]))
        self.to_logits = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, num_tokens))

    def forward(self, x, mask=None):
        n = x.shape[1]
        x = self.token_emb(x) + self.pos_emb(torch.arange(n, device=x.device))
        for ln1, attn, ln2, ff in self.layers:
            x = attn(ln1(x), mask=mask) + x
            x = ff(ln2(x)) + x
        return self.to_logits(x)


def run():
    torch.manual_seed(0)
    model = MusicTransformer()
    opt = torch.optim.Adam(model.parameters(), lr=2e-4)
    seq = torch.randint(0, 90, (3, 17))
    mask = torch.ones(3, 16, dtype=torch.bool)
    mask[2, 12:] = False
    inp, labels = seq[:, :-1], seq[:, 1:].masked_fill(~mask, -100)
    model.train()
    logits = model(inp, mask=mask)
    loss = F.cross_entropy(logits.transpose(1, 2), labels, ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(inp, mask=mask)
    return [loss.detach(), ev]
