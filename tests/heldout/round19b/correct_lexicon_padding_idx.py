"""Character encoder for inflection; padding index comes from the embedding."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CharSelfAttention(nn.Module):
    def __init__(self, dim, heads, dropout=0.1):
        super().__init__()
        self.heads = heads
        self.in_proj = nn.Linear(dim, 3 * dim)
        self.out_proj = nn.Linear(dim, dim)
        self.dropout = dropout

    def forward(self, x, attn_mask):
        B, L, D = x.shape
        q, k, v = self.in_proj(x).reshape(B, L, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=self.dropout if self.training else 0.0)
        return self.out_proj(y.transpose(1, 2).reshape(B, L, D))


class LemmaEncoder(nn.Module):
    def __init__(self, n_chars, n_tags, dim=64, heads=4, depth=2, dropout=0.1, pad=0):
        super().__init__()
        self.chars = nn.Embedding(n_chars, dim, padding_idx=pad)
        self.tags = nn.Embedding(n_tags, dim)
        self.pos = nn.Embedding(64, dim)
        self.attn = nn.ModuleList(CharSelfAttention(dim, heads, dropout) for _ in range(depth))
        self.ff = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim)) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))

    def forward(self, chars, tag):
        L = chars.size(1)
        x = self.chars(chars) + self.pos(torch.arange(L, device=chars.device)) + self.tags(tag)[:, None]
        attn_mask = (chars != self.chars.padding_idx)[:, None, None, :]
        for attn, ff, norm in zip(self.attn, self.ff, self.norms):
            x = x + attn(norm(x), attn_mask)
            x = x + ff(x)
        return x
