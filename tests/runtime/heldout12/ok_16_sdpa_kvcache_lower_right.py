# EXPECT: ok
"""Decoder-only LM with a KV cache; generation decodes two tokens per step (draft + verify)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right

VOCAB = 18


class CachedAttention(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.h, self.p = heads, p
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, cache=None):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        if cache is not None:
            if "k" in cache:
                k = torch.cat([cache["k"], k], dim=2)
                v = torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
        S = k.size(2)
        if L == S:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=self.p if self.training else 0.0)
        else:  # new queries sit at the end of the key sequence
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=causal_lower_right(L, S))
        return self.o(y.transpose(1, 2).reshape(B, L, D))


class TinyLM(nn.Module):
    def __init__(self, d=32, heads=4, p=0.1):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, d)
        self.pos = nn.Embedding(32, d)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = CachedAttention(d, heads, p)
        self.mlp = nn.Sequential(nn.Linear(d, 64), nn.GELU(), nn.Linear(64, d), nn.Dropout(p))
        self.head = nn.Linear(d, VOCAB)

    def forward(self, ids, start=0, cache=None):
        x = self.tok(ids) + self.pos(torch.arange(start, start + ids.size(1)))
        x = x + self.attn(self.ln1(x), cache)
        x = x + self.mlp(self.ln2(x))
        return self.head(x)

    @torch.no_grad()
    def generate(self, prompt, n_steps):
        cache = {}
        logits = self(prompt, 0, cache)
        pos, outs = prompt.size(1), []
        last = logits[:, -1].argmax(-1, keepdim=True)
        for _ in range(n_steps):
            draft = (last + 1) % VOCAB            # cheap draft token
            chunk = torch.cat([last, draft], 1)   # two new positions at once
            logits = self(chunk, pos, cache)
            outs.append(logits)
            last = logits[:, -1].argmax(-1, keepdim=True)
            pos += 2
        return torch.cat(outs, 1)


def run():
    torch.manual_seed(0)
    model = TinyLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    data = torch.randint(0, VOCAB, (3, 9))

    model.train()
    logits = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, VOCAB), data[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        gen_logits = model.generate(data[:, :4], 3)
    return [loss.detach(), gen_logits]
