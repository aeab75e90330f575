# EXPECT: ok chunked prefill with a KV cache passes torch.nn.attention.bias.causal_lower_right(q_len, kv_len) to SDPA (L != S, lower-right aligned), uses is_causal only when L == S with no cache, and no mask for single-token decode.
"""Decoder-only LM with chunked prefill (long prompt fed in chunks into a KV cache), in the style of vLLM / gpt-fast prefill with PyTorch CausalBias."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right


class CachedSelfAttention(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.p = p

    def forward(self, x, cache=None):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        if cache is not None and cache.get("k") is not None:
            k = torch.cat([cache["k"], k], 2)
            v = torch.cat([cache["v"], v], 2)
        if cache is not None:
            cache["k"], cache["v"] = k, v
        S = k.size(2)
        drop = self.p if self.training else 0.0
        if T == S:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=drop)
        elif T == 1:
            y = F.scaled_dot_product_attention(q, k, v, dropout_p=drop)
        else:
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=causal_lower_right(T, S), dropout_p=drop)
        return self.proj(y.transpose(1, 2).reshape(B, T, D))


class Block(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = CachedSelfAttention(d, h, p)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d), nn.Dropout(p))

    def forward(self, x, cache=None):
        x = x + self.attn(self.ln1(x), cache)
        return x + self.mlp(self.ln2(x))


class LM(nn.Module):
    def __init__(self, vocab=40, d=32, h=4, n=2, max_len=32, p=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        self.drop = nn.Dropout(p)
        self.blocks = nn.ModuleList([Block(d, h, p) for _ in range(n)])
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids, caches=None, start_pos=0):
        pos = torch.arange(start_pos, start_pos + ids.size(1))
        x = self.drop(self.tok(ids) + self.pos(pos))
        for i, b in enumerate(self.blocks):
            x = b(x, None if caches is None else caches[i])
        return self.head(self.ln_f(x))

    @torch.no_grad()
    def generate(self, prompt, chunk, new_tokens):
        caches = [dict(k=None, v=None) for _ in self.blocks]
        pos = 0
        for s in range(0, prompt.size(1), chunk):
            piece = prompt[:, s:s + chunk]
            logits = self(piece, caches, pos)
            pos += piece.size(1)
        out = prompt
        for _ in range(new_tokens):
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            out = torch.cat([out, nxt], 1)
            logits = self(nxt, caches, pos)
            pos += 1
        return out, logits[:, -1]


def run():
    torch.manual_seed(0)
    model = LM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    data = torch.randint(0, 40, (3, 13))
    model.train()
    logits = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 40), data[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    out, last = model.generate(data[:, :10], chunk=4, new_tokens=4)
    return [loss.detach(), *grads, out, last]
