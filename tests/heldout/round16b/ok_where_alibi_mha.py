import torch
import torch.nn as nn


class AlibiMHAForecaster(nn.Module):
    def __init__(self, n_features=4, dim=32, heads=4, depth=2):
        super().__init__()
        self.heads = heads
        self.inp = nn.Linear(n_features, dim)
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, heads, batch_first=True) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.out = nn.Linear(dim, n_features)
        self.register_buffer("slopes", 2.0 ** -torch.arange(1, heads + 1, dtype=torch.float), persistent=False)

    def attention_bias(self, t, batch):
        i = torch.arange(t)
        seen = torch.tril(torch.ones(t, t)).bool()
        causal = torch.where(seen, 0.0, float("-inf"))
        alibi = -self.slopes[:, None, None] * (i[:, None] - i[None, :]).clamp(min=0)
        return (causal + alibi).repeat(batch, 1, 1)

    def forward(self, y):
        h = self.inp(y)
        bias = self.attention_bias(y.size(1), y.size(0))
        for attn, norm in zip(self.attn, self.norm):
            z = norm(h)
            h = h + attn(z, z, z, attn_mask=bias)[0]
        return self.out(h)


if __name__ == "__main__":
    y = torch.randn(3, 20, 4)
    print(nn.functional.mse_loss(AlibiMHAForecaster()(y[:, :-1]), y[:, 1:]).item())
