import torch
from torch import nn


class EncoderBlock(nn.Module):
    def __init__(self, d_model, n_heads, dropout):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_heads, dropout=dropout, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.ReLU(), nn.Linear(4 * d_model, d_model))
        self.n1, self.n2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)

    def forward(self, x, pad):
        x = self.n1(x + self.attn(x, x, x, key_padding_mask=pad, need_weights=False)[0])
        return self.n2(x + self.ff(x))


class DecoderBlock(nn.Module):
    def __init__(self, d_model, n_heads, dropout):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, n_heads, dropout=dropout, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d_model, n_heads, dropout=dropout, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.ReLU(), nn.Linear(4 * d_model, d_model))
        self.n1, self.n2, self.n3 = nn.LayerNorm(d_model), nn.LayerNorm(d_model), nn.LayerNorm(d_model)

    def forward(self, y, memory, causal=None, memory_pad=None, self_pad=None):
        y = self.n1(y + self.self_attn(y, y, y, attn_mask=causal, key_padding_mask=self_pad, need_weights=False)[0])
        y = self.n2(y + self.cross_attn(y, memory, memory, key_padding_mask=memory_pad, need_weights=False)[0])
        return self.n3(y + self.ff(y))
