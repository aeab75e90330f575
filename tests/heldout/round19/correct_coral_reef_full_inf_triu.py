"""Coral bleaching risk: autoregressive model over weekly sea-surface temperature anomalies."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DHWAttention(nn.Module):
    """Attention over weekly degree-heating-week features."""

    def __init__(self, d_model, n_heads, dropout=0.0):
        super().__init__()
        self.n_heads = n_heads
        self.dropout = dropout
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.o = nn.Linear(d_model, d_model)

    def forward(self, x, bias):
        B, T, D = x.shape
        q, k, v = self.qkv(x).reshape(B, T, 3, self.n_heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias, dropout_p=self.dropout if self.training else 0.0)
        return self.o(y.permute(0, 2, 1, 3).reshape(B, T, D))


class BleachingModel(nn.Module):
    def __init__(self, n_feat=4, d_model=64, n_heads=4, depth=2, max_weeks=156):
        super().__init__()
        self.feat = nn.Linear(n_feat, d_model)
        self.week = nn.Embedding(53, d_model)
        self.layers = nn.ModuleList([DHWAttention(d_model, n_heads) for _ in range(depth)])
        self.norms = nn.ModuleList([nn.LayerNorm(d_model) for _ in range(depth)])
        self.alert = nn.Linear(d_model, 5)
        self.register_buffer("bias", torch.full((max_weeks, max_weeks), float("-inf")).triu(1), persistent=False)

    def forward(self, sst, week_of_year):
        T = sst.size(1)
        x = self.feat(sst) + self.week(week_of_year)
        bias = self.bias[:T, :T]
        for norm, layer in zip(self.norms, self.layers):
            x = x + layer(norm(x), bias)
        return self.alert(x)


if __name__ == "__main__":
    sst = torch.randn(3, 52, 4)
    woy = torch.arange(52).expand(3, -1)
    model = BleachingModel()
    logits = model(sst, woy)
    labels = torch.randint(0, 5, (3, 52))
    print(F.cross_entropy(logits.reshape(-1, 5), labels.reshape(-1)))
