# EXPECT: bug
"""Protein-style residue encoder; the attention core runs in float16 to save memory and
uses a pairwise (query x key) padding mask."""
import math

import torch
import torch.nn as nn


class HalfAttention(nn.Module):
    def __init__(self, dim, heads, p=0.1):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.drop = nn.Dropout(p)
        self.mask_value = -1e9

    def forward(self, x, pair_bias):
        B, L, C = x.shape
        q, k, v = self.qkv(x).reshape(B, L, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = q.half(), k.half(), v.half()
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(C // self.heads))
        scores = scores + pair_bias.to(scores.dtype)  # BUG-SITE
        attn = self.drop(scores.softmax(dim=-1))
        out = (attn @ v).float().transpose(1, 2).reshape(B, L, C)
        return self.proj(out)


class ResidueEncoder(nn.Module):
    def __init__(self, n_tokens=25, dim=32, heads=4, depth=2):
        super().__init__()
        self.embed = nn.Embedding(n_tokens, dim)
        self.attn = nn.ModuleList([HalfAttention(dim, heads) for _ in range(depth)])
        self.norms = nn.ModuleList([nn.LayerNorm(dim) for _ in range(depth)])
        self.head = nn.Linear(dim, 1)

    def forward(self, tokens, residue_mask):
        x = self.embed(tokens)
        pair = residue_mask[:, :, None] * residue_mask[:, None, :]          # (B, L, L), 1 = both real
        pair_bias = ((1.0 - pair) * self.attn[0].mask_value)[:, None]       # (B, 1, L, L) additive
        for attn, norm in zip(self.attn, self.norms):
            x = x + attn(norm(x), pair_bias)
        m = residue_mask[..., None]
        pooled = (x * m).sum(1) / m.sum(1)
        return self.head(pooled).squeeze(-1)


def run():
    torch.manual_seed(0)
    model = ResidueEncoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lengths = torch.tensor([12, 9, 5])
    residue_mask = (torch.arange(12)[None] < lengths[:, None]).float()
    tokens = torch.randint(1, 25, (3, 12)) * residue_mask.long()
    target = torch.tensor([0.5, -1.0, 2.0])
    model.train()
    pred = model(tokens, residue_mask)
    loss = nn.functional.mse_loss(pred, target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(tokens, residue_mask)
    return [loss.detach(), ev]
