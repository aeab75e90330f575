"""Chunked prefill with prefix caching (vLLM / SGLang style) for a batch of
requests with different cached-prefix lengths.  Each request's cached K/V are
right-padded to the longest prefix; the new chunk of C tokens is appended.
Keep mask (True = attend) for SDPA, per request b and chunk query i:
    key j in the cached part:  j < prefix_len[b]
    key j in the new chunk:    (j - P_max) <= i"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def chunk_keep_mask(prefix_lens: torch.Tensor, P_max: int, C: int) -> torch.Tensor:
    j = torch.arange(P_max + C)
    i = torch.arange(C)
    cached_ok = (j[None, :] < prefix_lens[:, None])[:, None, :].expand(-1, C, -1)  # (B, C, P+C)
    chunk_ok = ((j[None, :] - P_max) <= i[:, None]) & (j[None, :] >= P_max)  # (C, P+C)
    return (cached_ok & (j < P_max)) | chunk_ok[None]


class Layer(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.ln = nn.LayerNorm(d)
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def qkv_heads(self, x):
        B, L, D = x.shape
        return self.qkv(self.ln(x)).view(B, L, 3, self.h, -1).permute(2, 0, 3, 1, 4)

    def forward(self, x, k_cache, v_cache, keep):
        B, C, D = x.shape
        q, k, v = self.qkv_heads(x)
        K, V = torch.cat([k_cache, k], 2), torch.cat([v_cache, v], 2)
        y = F.scaled_dot_product_attention(q, K, V, attn_mask=keep[:, None])
        x = x + self.o(y.transpose(1, 2).reshape(B, C, D))
        return x + self.mlp(x), k, v


class Model(nn.Module):
    def __init__(self, vocab=256, d=64, h=4, n=2):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(512, d)
        self.layers = nn.ModuleList(Layer(d, h) for _ in range(n))

    def run(self, ids, positions, caches, keep):
        x = self.tok(ids) + self.pos(positions)
        out_cache = []
        for layer, (kc, vc) in zip(self.layers, caches):
            x, k, v = layer(x, kc, vc, keep)
            out_cache.append((k, v))
        return x, out_cache

    def reference(self, ids):
        L = ids.size(1)
        keep = torch.ones(L, L, dtype=torch.bool).tril()[None]
        empty = [(torch.zeros(1, l.h, 0, 16), torch.zeros(1, l.h, 0, 16)) for l in self.layers]
        return self.run(ids, torch.arange(L)[None], empty, keep)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Model().eval()
    prompts = [torch.randint(0, 256, (1, n)) for n in (10, 6)]
    prefix = torch.tensor([7, 2])  # tokens already cached per request
    C, P = 3, int(prefix.max())
    with torch.no_grad():
        caches = []  # padded per-layer caches built from each request's own prefix pass
        per_req = [model.reference(p[:, : int(n)])[1] for p, n in zip(prompts, prefix)]
        for li in range(len(model.layers)):
            ks, vs = [], []
            for r, n in enumerate(prefix.tolist()):
                k, v = per_req[r][li]
                pad = torch.randn(1, k.size(1), P - n, k.size(-1)) * 100  # junk in unused slots
                ks.append(torch.cat([k, pad], 2))
                vs.append(torch.cat([v, pad], 2))
            caches.append((torch.cat(ks), torch.cat(vs)))
        ids = torch.cat([p[:, int(n) : int(n) + C] for p, n in zip(prompts, prefix)])
        pos = prefix[:, None] + torch.arange(C)
        out, _ = model.run(ids, pos, caches, chunk_keep_mask(prefix, P, C))
        for r, n in enumerate(prefix.tolist()):
            ref, _ = model.reference(prompts[r][:, : n + C])
            assert torch.allclose(out[r], ref[0, n : n + C], atol=1e-4), r
    print("OK: chunk queries see their own cached prefix and earlier chunk tokens only")
