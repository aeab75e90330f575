# EXPECT: ok
"""Decoder with a KV cache: the causal flag is only used while the query block and the key
block are the same positions; single-token decode steps attend to the whole cache."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CachedSelfAttention(nn.Module):
    def __init__(self, dim, n_heads, p):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.p = p

    def forward(self, x, layer_cache=None):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        past_len = 0
        if layer_cache is not None and layer_cache.get("k") is not None:
            past_len = layer_cache["k"].size(2)
            k = torch.cat([layer_cache["k"], k], 2)
            v = torch.cat([layer_cache["v"], v], 2)
        if layer_cache is not None:
            layer_cache["k"], layer_cache["v"] = k, v
        # with past_len == 0 queries and keys are the same positions; a single new token
        # (L == 1) may see every cached position
        assert past_len == 0 or L == 1
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.p if self.training else 0.0, is_causal=past_len == 0)
        return self.out(y.transpose(1, 2).reshape(B, L, D))


class Decoder(nn.Module):
    def __init__(self, vocab=64, dim=32, n_heads=4, n_layers=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(32, dim)
        self.attn = nn.ModuleList([CachedSelfAttention(dim, n_heads, p) for _ in range(n_layers)])
        self.mlp = nn.ModuleList([nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(),
                                                nn.Linear(2 * dim, dim), nn.Dropout(p)) for _ in range(n_layers)])
        self.ln = nn.ModuleList([nn.LayerNorm(dim) for _ in range(n_layers)])
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids, offset=0, cache=None):
        x = self.emb(ids) + self.pos(torch.arange(offset, offset + ids.size(1)))
        for i in range(len(self.attn)):
            x = x + self.attn[i](self.ln[i](x), None if cache is None else cache[i])
            x = x + self.mlp[i](x)
        return self.head(x)

    @torch.no_grad()
    def greedy(self, prompt, steps):
        cache = [{} for _ in self.attn]
        logits = self(prompt, 0, cache)
        seq, collected = prompt, [logits[:, -1]]
        for _ in range(steps):
            nxt = logits[:, -1:].argmax(-1)
            seq = torch.cat([seq, nxt], 1)
            logits = self(nxt, seq.size(1) - 1, cache)
            collected.append(logits[:, -1])
        return seq, torch.stack(collected, 1)


def run():
    torch.manual_seed(0)
    model = Decoder()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    data = torch.randint(0, 64, (4, 17))
    model.train()
    logits = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 64), data[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    seq, gen_logits = model.greedy(data[:2, :5], 6)
    return [loss.detach(), seq, gen_logits]
