import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=64):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(1))

    def forward(self, x):
        return x + self.pe[: x.size(0)]


class CharDecoder(nn.Module):
    def __init__(self, ntoken, d_model=32, nhead=4):
        super().__init__()
        self.embed = nn.Embedding(ntoken, d_model)
        self.pos = PositionalEncoding(d_model)
        self.self_attn = nn.MultiheadAttention(d_model, nhead)
        self.norm = nn.LayerNorm(d_model)
        self.out = nn.Linear(d_model, ntoken)

    def forward(self, src):
        seq_len = src.size(0)
        attn_mask = torch.tril(torch.ones(seq_len, seq_len))  # BUG
        x = self.pos(self.embed(src))
        h, weights = self.self_attn(x, x, x, attn_mask=attn_mask)
        return self.out(self.norm(x + h)), weights


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CharDecoder(ntoken=30)
    src = torch.randint(0, 30, (8, 2))
    logits, weights = model(src)
    future_mass = torch.triu(weights, diagonal=1).sum(-1).mean().item()
    print(f"mean attention mass on future positions = {future_mass:.3f}")
