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
        self.register_buffer('pe', pe.unsqueeze(1))

    def forward(self, x):
        return x + self.pe[:x.size(0)]


class CausalSelfAttentionLM(nn.Module):
    def __init__(self, ntoken=50, ninp=16, nhead=2, seq_len=8):
        super().__init__()
        self.embed = nn.Embedding(ntoken, ninp)
        self.pos = PositionalEncoding(ninp)
        self.attn = nn.MultiheadAttention(ninp, nhead)
        self.out = nn.Linear(ninp, ntoken)
        self.register_buffer('attn_mask', torch.tril(torch.ones(seq_len, seq_len)))  # BUG

    def forward(self, src):
        x = self.pos(self.embed(src))
        h, weights = self.attn(x, x, x, attn_mask=self.attn_mask)
        self.last_weights = weights
        return self.out(h + x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CausalSelfAttentionLM()
    src = torch.randint(0, 50, (8, 3))
    logits = model(src)
    future = torch.triu(torch.ones(8, 8, dtype=torch.bool), diagonal=1)
    print(f"attention weight on future tokens: {model.last_weights[:, future].sum().item():.4f}")
