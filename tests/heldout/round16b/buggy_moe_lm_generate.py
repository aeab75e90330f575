import torch
import torch.nn as nn
import torch.nn.functional as F


class Top2Router(nn.Module):
    def __init__(self, dim, n_experts):
        super().__init__()
        self.gate = nn.Linear(dim, n_experts, bias=False)

    def forward(self, x):
        logits = self.gate(x)
        top_vals, top_idx = logits.topk(2, dim=-1)
        dispatch = torch.zeros_like(logits, dtype=torch.bool).scatter_(-1, top_idx, True)
        weights = logits.masked_fill(~dispatch, float("-inf")).softmax(-1)
        return weights.masked_fill(~dispatch, 0.0), dispatch


class MoEFeedForward(nn.Module):
    def __init__(self, dim, n_experts=4):
        super().__init__()
        self.router = Top2Router(dim, n_experts)
        self.experts = nn.ModuleList(nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
                                     for _ in range(n_experts))

    def forward(self, x):
        weights, dispatch = self.router(x)
        out = torch.zeros_like(x)
        for e, expert in enumerate(self.experts):
            sel = dispatch[..., e]
            if sel.any():
                out[sel] += weights[..., e][sel, None] * expert(x[sel])
        return out


class MoEBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.moe = MoEFeedForward(dim)

    def forward(self, x, attn_mask):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=attn_mask, need_weights=False)[0]
        return x + self.moe(self.ln2(x))


class MoELM(nn.Module):
    def __init__(self, vocab=300, dim=64, heads=4, depth=2, ctx=64):
        super().__init__()
        self.ctx = ctx
        self.embed = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(ctx, dim)
        self.blocks = nn.ModuleList(MoEBlock(dim, heads) for _ in range(depth))
        self.head = nn.Linear(dim, vocab)

    def forward(self, idx, use_cache_mask=True):
        n = idx.size(1)
        x = self.embed(idx) + self.pos(torch.arange(n, device=idx.device))
        mask = torch.triu(torch.ones(n, n, dtype=torch.bool, device=idx.device), 1) if use_cache_mask else None
        for blk in self.blocks:
            x = blk(x, mask)
        return self.head(x)

    def loss(self, idx):
        return F.cross_entropy(self(idx[:, :-1]).flatten(0, 1), idx[:, 1:].flatten())

    @torch.no_grad()
    def generate(self, idx, max_new_tokens, top_k=20):
        for _ in range(max_new_tokens):
            logits = self(idx[:, -self.ctx:], use_cache_mask=False)[:, -1]  # expect: ML401
            v, _ = logits.topk(top_k)
            logits = logits.masked_fill(logits < v[:, [-1]], float("-inf"))
            idx = torch.cat([idx, torch.multinomial(logits.softmax(-1), 1)], 1)
        return idx


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = MoELM()
    print(lm.loss(torch.randint(0, 300, (4, 20))).item(), lm.eval().generate(torch.randint(0, 300, (1, 5)), 5).shape)
