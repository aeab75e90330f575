"""Attention modules kept in containers filled with .append, or configured in a chain."""
import torch
from torch import nn


def keep_causal(L):
    return torch.tril(torch.ones(L, L, dtype=torch.bool))  # True = may attend


class AppendedModuleList(nn.Module):
    def __init__(self, d=32, h=4, n=2):
        super().__init__()
        self.blocks = nn.ModuleList()
        for _ in range(n):
            self.blocks.append(nn.MultiheadAttention(d, h, batch_first=True))

    def forward(self, x):
        mask = keep_causal(x.size(1))
        for i in range(len(self.blocks)):
            x = x + self.blocks[i](x, x, x, attn_mask=mask)[0]  # expect: ML101
        return x


class ListThenModuleList(nn.Module):
    def __init__(self, d=32, h=4, n=2):
        super().__init__()
        layers = []
        for _ in range(n):
            layers.append(nn.TransformerEncoderLayer(d, h, batch_first=True))
        self.layers = nn.ModuleList(layers)

    def forward(self, x):
        mask = keep_causal(x.size(1))
        for layer in self.layers:
            x = layer(x, src_mask=mask)  # expect: ML101
        return x


class Chained(nn.Module):
    def __init__(self, d=32, h=4, device="cpu"):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True).to(device).eval()

    def forward(self, x):
        return self.attn(x, x, x, attn_mask=keep_causal(x.size(1)))[0]  # expect: ML101
