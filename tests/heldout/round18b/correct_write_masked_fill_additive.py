"""Intraday volatility forecaster; trading halts leave missing bars that no query may attend."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BarAttention(nn.Module):
    def __init__(self, d, heads, max_bars=64):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        bias = torch.zeros(max_bars, max_bars)
        bias.masked_fill_(torch.ones(max_bars, max_bars, dtype=torch.bool).triu(1), float("-inf"))
        self.register_buffer("causal_bias", bias, persistent=False)

    def forward(self, x, halted):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        bias = self.causal_bias[:T, :T].expand(B, 1, T, T).clone()
        for b in range(B):
            cols = halted[b].nonzero().flatten()
            if len(cols):
                bias[b].index_fill_(-1, cols, float("-inf"))
                bias[b, 0, cols, cols] = 0.0
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.proj(y.transpose(1, 2).reshape(B, T, D))


class VolForecaster(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.inp = nn.Linear(5, d)
        self.attn = BarAttention(d, heads)
        self.norm = nn.LayerNorm(d)
        self.out = nn.Linear(d, 1)

    def forward(self, bars, halted):
        h = self.inp(bars)
        h = h + self.attn(self.norm(h), halted)
        return F.softplus(self.out(h)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = VolForecaster()
    bars = torch.randn(2, 16, 5)
    halted = torch.zeros(2, 16, dtype=torch.bool)
    halted[1, 5:8] = True
    vol = model(bars, halted)
    bars2 = bars.clone()
    bars2[:, 12:] = 9.0
    bars2[1, 5:8] = -9.0
    vol2 = model(bars2, halted)
    keep = ~halted
    keep[:, 12:] = False
    print("vol", round(vol.mean().item(), 5), "causal+halt-invariant", torch.allclose(vol[keep], vol2[keep], atol=1e-5))
