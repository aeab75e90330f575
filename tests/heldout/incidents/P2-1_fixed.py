import math

import torch
import torch.nn as nn


class CausalSelfAttentionBlock(nn.Module):
    """GPT-style block built on nn.MultiheadAttention (inputs are (seq, batch, embed))."""

    def __init__(self, d_model, nhead, dropout=0.1):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.ln2 = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x, attn_mask):
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, attn_mask=attn_mask)
        x = x + a
        return x + self.mlp(self.ln2(x))


class TinyGPT(nn.Module):
    def __init__(self, vocab_size, d_model=8, nhead=2, n_layer=2, block_size=16):
        super().__init__()
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Parameter(torch.zeros(block_size, 1, d_model))
        self.blocks = nn.ModuleList([CausalSelfAttentionBlock(d_model, nhead) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size, bias=False)
        self.d_model = d_model

    def forward(self, idx):
        # idx: (seq_len, batch)
        t = idx.size(0)
        x = self.tok_emb(idx) * math.sqrt(self.d_model) + self.pos_emb[:t]
        attn_mask = torch.triu(torch.full((t, t), float("-inf"), device=idx.device), diagonal=1)
        for block in self.blocks:
            x = block(x, attn_mask)
        return self.head(self.ln_f(x))


def run():
    model = TinyGPT(vocab_size=11)
    idx = torch.randint(0, 11, (5, 2))
    return model(idx)
