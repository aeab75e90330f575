"""Marian-style NMT (shared vocab, tied embeddings, post-LN) with SDPA
attention.  The decoder keeps a cached additive future mask buffer, sliced to
the current target length, which is combined with the target padding bias."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

NEG_INF = float("-inf")


class Attention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.q, self.kv, self.o = nn.Linear(d, d), nn.Linear(d, 2 * d), nn.Linear(d, d)

    def forward(self, x, mem, bias=None):
        B, T, D = x.shape
        S = mem.size(1)
        q = self.q(x).view(B, T, self.h, -1).transpose(1, 2)
        k, v = self.kv(mem).view(B, S, 2, self.h, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.o(y.transpose(1, 2).reshape(B, T, D))


class Layer(nn.Module):
    def __init__(self, d, h, cross):
        super().__init__()
        self.sa = Attention(d, h)
        self.ca = Attention(d, h) if cross else None
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.SiLU(), nn.Linear(4 * d, d))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(3))

    def forward(self, x, self_bias, mem=None, mem_bias=None):
        x = self.norms[0](x + self.sa(x, x, self_bias))
        if self.ca is not None:
            x = self.norms[1](x + self.ca(x, mem, mem_bias))
        return self.norms[2](x + self.ff(x))


class MarianMT(nn.Module):
    def __init__(self, vocab=700, d=64, h=4, n=2, pad=0, max_len=128):
        super().__init__()
        self.pad = pad
        self.emb = nn.Embedding(vocab, d, padding_idx=pad)
        self.pos = nn.Embedding(max_len, d)
        self.enc = nn.ModuleList(Layer(d, h, cross=False) for _ in range(n))
        self.dec = nn.ModuleList(Layer(d, h, cross=True) for _ in range(n))
        self.register_buffer(
            "future_bias", torch.tril(torch.full((max_len, max_len), NEG_INF), diagonal=-1), persistent=False
        )

    def pad_bias(self, ids):
        return torch.zeros(ids.shape, dtype=torch.float).masked_fill(ids.eq(self.pad), NEG_INF)[:, None, None, :]

    def embed(self, ids):
        return self.emb(ids) * math.sqrt(self.emb.embedding_dim) + self.pos(torch.arange(ids.size(1)))

    def forward(self, src, tgt_in):
        src_bias = self.pad_bias(src)
        mem = self.embed(src)
        for layer in self.enc:
            mem = layer(mem, src_bias)
        T = tgt_in.size(1)
        self_bias = self.future_bias[:T, :T] + self.pad_bias(tgt_in)
        x = self.embed(tgt_in)
        for layer in self.dec:
            x = layer(
                x,
                self_bias,  # expect: ML103
                mem,
                src_bias,
            )
        return x @ self.emb.weight.t()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MarianMT().eval()
    src = torch.randint(1, 700, (2, 12))
    src[1, 9:] = 0
    tgt = torch.randint(1, 700, (2, 8))
    with torch.no_grad():
        a = model(src, tgt)
        tgt2 = tgt.clone()
        tgt2[:, 5:] = 3
        b = model(src, tgt2)
    leak = (a[:, :5] - b[:, :5]).abs().max().item()
    print("decoder logits at t < 5 change when tokens t >= 5 change:", leak)
    assert leak > 1e-4
    print("FAILURE SHOWN: decoder attends to the future and not to the past")
