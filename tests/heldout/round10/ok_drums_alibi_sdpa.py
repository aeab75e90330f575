"""Drum-pattern generator over 16th-note steps with ALiBi position biases (no learned positions)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def alibi_slopes(n_heads):
    start = 2 ** (-8.0 / n_heads)
    return torch.tensor([start ** (i + 1) for i in range(n_heads)])


def alibi_causal_bias(n_heads, T, device=None, dtype=torch.float32):
    """(1, H, T, T) additive bias: -slope * distance on the past, -inf on the future."""
    pos = torch.arange(T, device=device)
    dist = (pos[:, None] - pos[None, :]).to(dtype)                 # i - j
    bias = -alibi_slopes(n_heads).to(device, dtype)[:, None, None] * dist
    future = pos[None, :] > pos[:, None]
    return bias.masked_fill(future, float("-inf")).unsqueeze(0)


class AlibiBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.out = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, bias):
        B, T, D = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        x = x + self.out(a.transpose(1, 2).reshape(B, T, D))
        return x + self.mlp(self.norm2(x))


class DrumLM(nn.Module):
    N_VOICES = 9  # kick, snare, closed hat, open hat, low/mid/high tom, crash, ride

    def __init__(self, d=64, heads=4, depth=3):
        super().__init__()
        self.heads = heads
        self.inp = nn.Linear(self.N_VOICES, d)
        self.bos = nn.Parameter(torch.zeros(1, 1, d))
        self.blocks = nn.ModuleList(AlibiBlock(d, heads) for _ in range(depth))
        self.out = nn.Linear(d, self.N_VOICES)

    def forward(self, hits):
        # hits: (B, T, 9) binary onsets; predict step t from steps < t
        x = torch.cat([self.bos.expand(hits.size(0), -1, -1), self.inp(hits[:, :-1])], dim=1)
        bias = alibi_causal_bias(self.heads, x.size(1), x.device, x.dtype)
        for blk in self.blocks:
            x = blk(x, bias)
        return self.out(x)

    @torch.no_grad()
    def sample(self, bars=1, steps_per_bar=16, temperature=1.0):
        hits = torch.zeros(1, 0, self.N_VOICES)
        for _ in range(bars * steps_per_bar):
            logits = self(torch.cat([hits, torch.zeros(1, 1, self.N_VOICES)], dim=1))[:, -1]
            step = torch.bernoulli(torch.sigmoid(logits / temperature)).unsqueeze(1)
            hits = torch.cat([hits, step], dim=1)
        return hits


if __name__ == "__main__":
    torch.manual_seed(0)
    model = DrumLM()
    patterns = (torch.rand(4, 32, 9) < 0.2).float()
    loss = F.binary_cross_entropy_with_logits(model(patterns), patterns)
    loss.backward()
    print(loss.item(), model.sample().shape, "ppl-ish", round(math.exp(loss.item()), 3))
