import torch
import torch.nn as nn
import torch.nn.functional as F

N_ZONES = 260
PAD, START = N_ZONES, N_ZONES + 1


class ZoneAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, keep, cache):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        k, v, keep_all = cache.append(k, v, keep)
        S = k.size(2)
        # query i sits at absolute slot S - T + i; it may read slots up to and including itself
        order = torch.ones(T, S, dtype=torch.bool, device=x.device).tril(diagonal=S - T)
        allowed = order[None, None] & keep_all[:, None, None, :]
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        return self.o(y.transpose(1, 2).reshape(B, T, D))


class ZoneLM(nn.Module):
    def __init__(self, d=64, heads=4, layers=2, max_len=128):
        super().__init__()
        self.zone = nn.Embedding(N_ZONES + 2, d, padding_idx=PAD)
        self.hour = nn.Embedding(24, d)
        self.pos = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList(ZoneAttention(d, heads) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(layers))
        self.head = nn.Linear(d, N_ZONES)

    def forward(self, zones, hours, positions, keep, caches):
        x = self.zone(zones) + self.hour(hours) + self.pos(positions)
        for norm, layer, cache in zip(self.norms, self.layers, caches):
            x = x + layer(norm(x), keep, cache)
        return self.head(x)
