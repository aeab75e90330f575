# EXPECT: ok
"""Residue encoder whose attention core runs in float16; masked logits are filled with the
smallest finite value of the compute dtype."""
import math

import torch
import torch.nn as nn


class HalfPrecisionAttention(nn.Module):
    def __init__(self, dim, heads, p=0.1):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.drop = nn.Dropout(p)

    def forward(self, x, pair_keep):
        B, L, C = x.shape
        q, k, v = self.qkv(x).reshape(B, L, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = q.half(), k.half(), v.half()
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(C // self.heads))
        scores = scores.masked_fill(~pair_keep[:, None], torch.finfo(scores.dtype).min)
        attn = self.drop(scores.softmax(dim=-1))
        out = (attn @ v).float().transpose(1, 2).reshape(B, L, C)
        return self.proj(out)


class ResidueEncoder(nn.Module):
    def __init__(self, n_tokens=25, dim=32, heads=4, depth=2):
        super().__init__()
        self.embed = nn.Embedding(n_tokens, dim)
        self.attn = nn.ModuleList([HalfPrecisionAttention(dim, heads) for _ in range(depth)])
        self.norms = nn.ModuleList([nn.LayerNorm(dim) for _ in range(depth)])
        self.head = nn.Linear(dim, 1)

    def forward(self, tokens, residue_mask):
        x = self.embed(tokens)
        pair_keep = residue_mask[:, :, None] & residue_mask[:, None, :]
        for attn, norm in zip(self.attn, self.norms):
            x = x + attn(norm(x), pair_keep)
        m = residue_mask[..., None].float()
        return self.head((x * m).sum(1) / m.sum(1)).squeeze(-1)


def run():
    torch.manual_seed(0)
    model = ResidueEncoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lengths = torch.tensor([12, 9, 5])
    residue_mask = torch.arange(12)[None] < lengths[:, None]
    tokens = torch.randint(1, 25, (3, 12)) * residue_mask
    target = torch.tensor([0.5, -1.0, 2.0])
    model.train()
    loss = nn.functional.mse_loss(model(tokens, residue_mask), target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(tokens, residue_mask)
    return [loss.detach(), ev]
