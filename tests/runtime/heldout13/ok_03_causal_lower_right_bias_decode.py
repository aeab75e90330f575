# EXPECT: ok
"""Speculative-decoding verifier: draft tokens are scored against the cache
with torch.nn.attention.bias.causal_lower_right(L, S), the bias that aligns
the causal diagonal to the bottom-right; training uses the same helper with
L == S, where it is an ordinary causal mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right


class Attention(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.h, self.p = h, p
        self.wqkv = nn.Linear(d, 3 * d, bias=False)
        self.wo = nn.Linear(d, d, bias=False)

    def forward(self, x, cache):
        B, T, D = x.shape
        q, k, v = self.wqkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        if cache is not None:
            k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
        bias = causal_lower_right(q.size(2), k.size(2))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias,
                                           dropout_p=self.p if self.training else 0.0)
        return self.wo(y.transpose(1, 2).reshape(B, T, D)), (k, v)


class Verifier(nn.Module):
    def __init__(self, vocab=59, d=32, h=2, n=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(24, d)
        self.blocks = nn.ModuleList(Attention(d, h, p) for _ in range(n))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(n))
        self.out = nn.Linear(d, vocab)

    def forward(self, ids, past=None, offset=0):
        x = self.emb(ids) + self.pos(torch.arange(offset, offset + ids.size(1)))
        new = []
        for i, (blk, nrm) in enumerate(zip(self.blocks, self.norms)):
            a, kv = blk(nrm(x), None if past is None else past[i])
            new.append(kv)
            x = x + a
        return self.out(x), new


def run():
    torch.manual_seed(103)
    ids = torch.randint(0, 59, (4, 12))
    model = Verifier()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model.train()
    logits, _ = model(ids[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 59), ids[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.emb.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        _, cache = model(ids[:, :7])
        draft_logits, _ = model(ids[:, 7:11], past=cache, offset=7)
    return [loss.detach(), g, draft_logits]
