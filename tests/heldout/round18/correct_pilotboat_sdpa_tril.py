"""Autoregressive model of harbour-pilot boarding requests.

A day's requests at a pilot station form a sequence of (vessel class, draught
bucket, berth, tide phase, requested hour); the model predicts the next
request's class so the station can position boats and pilots.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_REQUESTS = 128


class RequestEmbedding(nn.Module):
    def __init__(self, d, n_class=12, n_draught=10, n_berth=40, n_tide=4):
        super().__init__()
        self.vclass = nn.Embedding(n_class, d)
        self.draught = nn.Embedding(n_draught, d)
        self.berth = nn.Embedding(n_berth, d)
        self.tide = nn.Embedding(n_tide, d)
        self.hour = nn.Linear(2, d)

    def forward(self, vclass, draught, berth, tide, hour):
        hr = torch.stack([torch.sin(hour * math.pi / 12), torch.cos(hour * math.pi / 12)], -1)
        return self.vclass(vclass) + self.draught(draught) + self.berth(berth) + self.tide(tide) + self.hour(hr)


class CausalSelfAttention(nn.Module):
    def __init__(self, d, n_heads, dropout=0.1):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.dropout = dropout
        self.register_buffer("visible", torch.tril(torch.ones(MAX_REQUESTS, MAX_REQUESTS, dtype=torch.bool)),
                             persistent=False)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=-1)
        q, k, v = (t.view(B, T, self.n_heads, -1).transpose(1, 2) for t in (q, k, v))
        drop = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=self.visible[:T, :T], dropout_p=drop)
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


class PilotRequestLM(nn.Module):
    def __init__(self, d=48, n_heads=4, depth=2, n_class=12):
        super().__init__()
        self.embed = RequestEmbedding(d, n_class=n_class)
        self.pos = nn.Embedding(MAX_REQUESTS, d)
        self.ln1 = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.attn = nn.ModuleList(CausalSelfAttention(d, n_heads) for _ in range(depth))
        self.ln2 = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.mlp = nn.ModuleList(nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d)) for _ in range(depth))
        self.head = nn.Linear(d, n_class)

    def forward(self, **req):
        T = req["vclass"].size(1)
        x = self.embed(**req) + self.pos(torch.arange(T, device=req["vclass"].device))
        for ln1, attn, ln2, mlp in zip(self.ln1, self.attn, self.ln2, self.mlp):
            x = x + attn(ln1(x))
            x = x + mlp(ln2(x))
        return self.head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    B, T = 2, 25
    req = dict(vclass=torch.randint(0, 12, (B, T)), draught=torch.randint(0, 10, (B, T)),
               berth=torch.randint(0, 40, (B, T)), tide=torch.randint(0, 4, (B, T)),
               hour=torch.sort(torch.rand(B, T) * 24, dim=1).values)
    model = PilotRequestLM()
    logits = model(**req)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 12), req["vclass"][:, 1:].reshape(-1))
    loss.backward()
    print(float(loss))
