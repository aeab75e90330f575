"""Greedy generation with a KV cache: is_causal=True on the prompt, is_causal=False for the
one-token decode steps (a single query may see every cached key)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attn(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, kv=None):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        if kv is not None:
            k, v = torch.cat([kv[0], k], 2), torch.cat([kv[1], v], 2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=kv is None and T > 1)
        return self.o(y.transpose(1, 2).reshape(B, T, D)), (k, v)


class LM(nn.Module):
    def __init__(self, vocab=100, d=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.attn = Attn(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids, kv=None):
        h, kv = self.attn(self.emb(ids), kv)
        return self.head(h), kv


@torch.no_grad()
def generate(model, prompt, n=5):
    logits, kv = model(prompt)
    out = prompt
    for _ in range(n):
        nxt = logits[:, -1:].argmax(-1)
        out = torch.cat([out, nxt], 1)
        logits, kv = model(nxt, kv)
    return out


if __name__ == "__main__":
    torch.manual_seed(0)
    m = LM()
    out = generate(m, torch.randint(0, 100, (1, 4)))
    with torch.no_grad():
        ref = m(out)[0][:, 3:-1].argmax(-1)
    print("cache == full recompute:", torch.equal(ref, out[:, 4:]))
