import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, mask):
        h = self.ln(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.ff(x)


class PoetryLM(nn.Module):
    def __init__(self, vocab=300, dim=64, heads=4, depth=2, ctx=64):
        super().__init__()
        self.ctx = ctx
        self.embed = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(ctx, dim)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        self.head = nn.Linear(dim, vocab)

    def forward(self, idx, causal=True):
        n = idx.size(1)
        x = self.embed(idx) + self.pos.weight[:n]
        mask = torch.triu(torch.ones(n, n, dtype=torch.bool, device=idx.device), 1) if causal else None
        for blk in self.blocks:
            x = blk(x, mask)
        return self.head(x)

    def embed_sentence(self, idx):
        with torch.no_grad():
            x = self.embed(idx) + self.pos.weight[: idx.size(1)]
            for blk in self.blocks:
                x = blk(x, None)
        return x.mean(1)

    @torch.no_grad()
    def generate(self, idx, n_new, temperature=0.8):
        for _ in range(n_new):
            logits = self(idx[:, -self.ctx:])[:, -1] / temperature
            idx = torch.cat([idx, torch.multinomial(F.softmax(logits, -1), 1)], 1)
        return idx


if __name__ == "__main__":
    lm = PoetryLM()
    d = torch.randint(0, 300, (4, 21))
    print(F.cross_entropy(lm(d[:, :-1]).flatten(0, 1), d[:, 1:].flatten()).item())
    print(lm.eval().generate(d[:1, :4], 5).shape, lm.embed_sentence(d).shape)
