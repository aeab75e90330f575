"""Greedy decoding with a KV cache for a small unpadded LM (single-prompt serving path)."""
import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.attention.bias import causal_lower_right


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.wqkv = nn.Linear(dim, 3 * dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)

    def forward(self, x, kv_cache=None):
        B, T, D = x.shape
        q, k, v = self.wqkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        if kv_cache is None or kv_cache[0] is None:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=T > 1)
        else:
            k = torch.cat([kv_cache[0], k], 2)
            v = torch.cat([kv_cache[1], v], 2)
            if T == 1:  # the new token sits after every cached key
                y = F.scaled_dot_product_attention(q, k, v)
            else:  # chunked prefill: queries are the last T positions
                y = F.scaled_dot_product_attention(q, k, v, attn_mask=causal_lower_right(T, k.size(2)))
        return self.wo(y.transpose(1, 2).reshape(B, T, D)), (k, v)


class TinyLM(nn.Module):
    def __init__(self, vocab=100, dim=48, heads=4, depth=2, max_len=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(max_len, dim)
        self.attn = nn.ModuleList(Attention(dim, heads) for _ in range(depth))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim)) for _ in range(depth))
        self.ln = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids, caches=None, start=0):
        x = self.emb(ids) + self.pos(torch.arange(start, start + ids.size(1), device=ids.device))
        new = []
        for i, (attn, mlp, ln) in enumerate(zip(self.attn, self.mlp, self.ln)):
            a, kv = attn(ln(x), None if caches is None else caches[i])
            new.append(kv)
            x = x + a
            x = x + mlp(x)
        return self.head(x), new

    @torch.no_grad()
    def generate(self, prompt, n_new):
        logits, caches = self(prompt)
        out, pos = [], prompt.size(1)
        for _ in range(n_new):
            nxt = logits[:, -1:].argmax(-1)
            out.append(nxt)
            logits, caches = self(nxt, caches, start=pos)
            pos += 1
        return torch.cat(out, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = TinyLM().eval()
    prompt = torch.randint(0, 100, (1, 7))
    print("generated", lm.generate(prompt, 6).tolist())
    logits_a, cache = lm(prompt[:, :4])
    logits_b, _ = lm(prompt[:, 4:], cache, start=4)
    print("chunked prefill matches", torch.allclose(torch.cat([logits_a, logits_b], 1), lm(prompt)[0], atol=1e-5))
    print("lm loss", F.cross_entropy(lm(prompt[:, :-1])[0].transpose(1, 2), prompt[:, 1:]).item())
