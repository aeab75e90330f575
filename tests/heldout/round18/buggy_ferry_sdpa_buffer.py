"""Autoregressive delay forecaster for ferry departures.

Tokens are departures of one vessel over a day: (scheduled slot, route leg,
weather bucket, observed delay bucket). The model predicts the delay bucket of
the next departure from the previous ones.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_DEPARTURES = 96


class DepartureEmbedding(nn.Module):
    def __init__(self, d_model, n_slots=96, n_legs=24, n_weather=8, n_delay=16):
        super().__init__()
        self.slot = nn.Embedding(n_slots, d_model)
        self.leg = nn.Embedding(n_legs, d_model)
        self.weather = nn.Embedding(n_weather, d_model)
        self.delay = nn.Embedding(n_delay, d_model)

    def forward(self, slot, leg, weather, delay):
        return self.slot(slot) + self.leg(leg) + self.weather(weather) + self.delay(delay)


class CausalSelfAttention(nn.Module):
    def __init__(self, d_model, n_heads, dropout=0.0):
        super().__init__()
        self.n_heads = n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.dropout = dropout
        future = torch.triu(torch.ones(MAX_DEPARTURES, MAX_DEPARTURES, dtype=torch.bool), diagonal=1)
        self.register_buffer("future", future, persistent=False)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=-1)
        q, k, v = (t.view(B, T, self.n_heads, C // self.n_heads).transpose(1, 2) for t in (q, k, v))
        drop = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=self.future[:T, :T], dropout_p=drop)  # BUG: future-position mask handed to SDPA as attn_mask
        y = y.transpose(1, 2).reshape(B, T, C)
        return self.proj(y)


class Block(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = CausalSelfAttention(d_model, n_heads)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class FerryDelayLM(nn.Module):
    def __init__(self, d_model=48, n_heads=4, n_layers=2, n_delay=16):
        super().__init__()
        self.embed = DepartureEmbedding(d_model, n_delay=n_delay)
        self.pos = nn.Embedding(MAX_DEPARTURES, d_model)
        self.blocks = nn.ModuleList(Block(d_model, n_heads) for _ in range(n_layers))
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_delay)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=0.02 / math.sqrt(2))
            nn.init.zeros_(m.bias)

    def forward(self, slot, leg, weather, delay):
        T = slot.size(1)
        x = self.embed(slot, leg, weather, delay) + self.pos(torch.arange(T, device=slot.device))
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.ln_f(x))

    def loss(self, batch):
        logits = self(batch["slot"], batch["leg"], batch["weather"], batch["delay"])
        return F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), batch["delay"][:, 1:].reshape(-1))


if __name__ == "__main__":
    torch.manual_seed(0)
    B, T = 3, 30
    batch = {
        "slot": torch.arange(T).repeat(B, 1),
        "leg": torch.randint(0, 24, (B, T)),
        "weather": torch.randint(0, 8, (B, T)),
        "delay": torch.randint(0, 16, (B, T)),
    }
    model = FerryDelayLM()
    print("nll", float(model.loss(batch)))
