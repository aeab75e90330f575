"""Example-sentence writer for a vocabulary app (positional MHA arguments)."""
import torch
import torch.nn as nn

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
BOS, EOS, PAD = 1, 2, 0


class DrillBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, dropout=0.1, batch_first=True)
        self.norm1 = nn.LayerNorm(dim)
        self.norm2 = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 3 * dim), nn.GELU(), nn.Linear(3 * dim, dim))

    def forward(self, x, pad, causal):
        h = self.norm1(x)
        # (query, key, value, key_padding_mask, need_weights, attn_mask)
        a, _ = self.attn(h, h, h, pad, False, causal)
        x = x + a
        return x + self.ff(self.norm2(x))


class SentenceWriter(nn.Module):
    def __init__(self, vocab=8000, dim=64, heads=4, depth=2, max_len=48):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.level = nn.Embedding(len(LEVELS), dim)
        self.pos = nn.Embedding(max_len + 1, dim)
        self.blocks = nn.ModuleList(DrillBlock(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.lm = nn.Linear(dim, vocab, bias=False)
        self.lm.weight = self.tok.weight

    def forward(self, lemma, level, tokens):
        x = torch.cat([self.tok(lemma)[:, None] + self.level(level)[:, None], self.tok(tokens)], 1)
        n = x.size(1)
        x = x + self.pos(torch.arange(n, device=x.device))
        pad = torch.cat([torch.zeros_like(lemma[:, None], dtype=torch.bool), tokens.eq(PAD)], 1)
        causal = torch.triu(torch.ones(n, n, dtype=torch.bool, device=x.device), 1)
        for blk in self.blocks:
            x = blk(x, pad, causal)
        return self.lm(self.norm(x))[:, 1:]
