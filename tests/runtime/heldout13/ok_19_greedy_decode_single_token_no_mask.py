# EXPECT: ok
"""Greedy generation with a KV cache, one token per step.  A single new query
may see every cached key, so the step runs SDPA with no mask and
is_causal=False; is_causal is used only when queries and keys coincide
(training and the prefill)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class KVAttention(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.h, self.p = h, p
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, cache):
        B, T, D = x.shape
        q = self.q(x).view(B, T, self.h, -1).transpose(1, 2)
        k, v = self.kv(x).view(B, T, 2, self.h, -1).permute(2, 0, 3, 1, 4)
        if cache is not None:
            k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
        causal = q.size(2) == k.size(2) and q.size(2) > 1
        y = F.scaled_dot_product_attention(q, k, v, is_causal=causal,
                                           dropout_p=self.p if self.training else 0.0)
        return self.o(y.transpose(1, 2).reshape(B, T, D)), (k, v)


class Generator(nn.Module):
    def __init__(self, vocab=48, d=32, h=4, n=2, p=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(32, d)
        self.attn = nn.ModuleList(KVAttention(d, h, p) for _ in range(n))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(n))
        self.head = nn.Linear(d, vocab)

    def forward(self, ids, caches=None, start=0):
        x = self.tok(ids) + self.pos(torch.arange(start, start + ids.size(1)))
        new = []
        for i, (a, ln) in enumerate(zip(self.attn, self.ln)):
            y, c = a(ln(x), None if caches is None else caches[i])
            x = x + y
            new.append(c)
        return self.head(x), new

    @torch.no_grad()
    def generate(self, prompt, steps):
        logits, caches = self(prompt)
        out, scores = [prompt], []
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        for s in range(steps):
            out.append(nxt)
            logits, caches = self(nxt, caches, start=prompt.size(1) + s)
            scores.append(logits[:, -1])
            nxt = logits[:, -1].argmax(-1, keepdim=True)
        return torch.cat(out, 1), torch.stack(scores, 1)


def run():
    torch.manual_seed(119)
    data = torch.randint(0, 48, (4, 11))
    model = Generator()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    logits, _ = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 48), data[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.head.weight.grad.clone()
    opt.step()
    model.eval()
    seq, scores = model.generate(data[:, :5], steps=4)
    return [loss.detach(), g, seq.float(), scores]
