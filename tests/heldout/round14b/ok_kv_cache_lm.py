"""Decoder-only LM with a key/value cache for incremental decoding."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class KVCache:
    def __init__(self, n_layers):
        self.k = [None] * n_layers
        self.v = [None] * n_layers

    def update(self, layer, k, v):
        if self.k[layer] is not None:
            k = torch.cat([self.k[layer], k], dim=2)
            v = torch.cat([self.v[layer], v], dim=2)
        self.k[layer], self.v[layer] = k, v
        return k, v

    @property
    def length(self):
        return 0 if self.k[0] is None else self.k[0].size(2)


class CachedAttention(nn.Module):
    def __init__(self, layer_idx, dim, heads):
        super().__init__()
        self.layer_idx, self.heads = layer_idx, heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x, cache=None):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        past = 0
        if cache is not None:
            past = cache.length
            k, v = cache.update(self.layer_idx, k, v)
        if T > 1:
            # prefill: query t sits at absolute position past + t and may see keys up to it
            S = k.size(2)
            allowed = torch.ones(T, S, dtype=torch.bool, device=x.device).tril(diagonal=past)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        else:
            # one new token: every cached key is in its past
            y = F.scaled_dot_product_attention(q, k, v)
        return self.o(y.transpose(1, 2).reshape(B, T, C))


class Layer(nn.Module):
    def __init__(self, idx, dim, heads):
        super().__init__()
        self.n1, self.n2 = nn.RMSNorm(dim), nn.RMSNorm(dim)
        self.attn = CachedAttention(idx, dim, heads)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.SiLU(), nn.Linear(4 * dim, dim))

    def forward(self, x, cache):
        x = x + self.attn(self.n1(x), cache)
        return x + self.mlp(self.n2(x))


class CachedLM(nn.Module):
    def __init__(self, vocab=900, dim=64, heads=4, n_layers=3, max_len=256):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(max_len, dim)
        self.layers = nn.ModuleList(Layer(i, dim, heads) for i in range(n_layers))
        self.norm = nn.RMSNorm(dim)
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, ids, cache=None):
        start = cache.length if cache is not None else 0
        x = self.emb(ids) + self.pos(torch.arange(start, start + ids.size(1), device=ids.device))
        for layer in self.layers:
            x = layer(x, cache)
        return self.head(self.norm(x))

    @torch.no_grad()
    def generate(self, prompt, max_new_tokens=8):
        cache = KVCache(len(self.layers))
        logits = self(prompt, cache)
        out = [prompt]
        for _ in range(max_new_tokens):
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            out.append(nxt)
            logits = self(nxt, cache)
        return torch.cat(out, dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = CachedLM().eval()
    prompt = torch.randint(0, 900, (2, 7))
    cached = lm.generate(prompt)
    full = prompt
    with torch.no_grad():
        for _ in range(8):
            full = torch.cat([full, lm(full)[:, -1].argmax(-1, keepdim=True)], dim=1)
    print("cached == full recompute:", torch.equal(cached, full))
