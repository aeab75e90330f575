"""Sign-language gloss generator with a KV cache."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CachedAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, cache=None):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if cache is not None and cache[0] is not None:
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=q.size(2) > 1)
        return self.o(y.transpose(1, 2).reshape(B, T, D)), (k, v)


class GlossGenerator(nn.Module):
    def __init__(self, vocab=150, d=32, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(64, d)
        self.attn = nn.ModuleList(CachedAttention(d, heads) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.out = nn.Linear(d, vocab)

    def forward(self, ids, start=0, caches=None):
        x = self.emb(ids) + self.pos(torch.arange(start, start + ids.size(1)))
        caches = caches or [None] * len(self.attn)
        new = []
        for attn, norm, cache in zip(self.attn, self.norm, caches):
            a, kv = attn(norm(x), cache)
            x = x + a
            new.append(kv)
        return self.out(x), new

    @torch.no_grad()
    def generate(self, prompt, n):
        logits, caches = self(prompt)
        out = [logits[:, -1].argmax(-1, keepdim=True)]
        for i in range(n - 1):
            logits, caches = self(out[-1], start=prompt.size(1) + i, caches=caches)
            out.append(logits[:, -1].argmax(-1, keepdim=True))
        return torch.cat(out, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    gen = GlossGenerator().eval()
    prompt = torch.randint(0, 150, (2, 5))
    cached = gen.generate(prompt, 4)
    seq = prompt
    for _ in range(4):
        seq = torch.cat([seq, gen(seq)[0][:, -1].argmax(-1, keepdim=True)], 1)
    print("cache matches full recompute", torch.equal(cached, seq[:, 5:]))
