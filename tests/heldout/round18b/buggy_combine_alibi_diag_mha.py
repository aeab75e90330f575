"""ALiBi decoder over de-identified clinical notes (nn.MultiheadAttention, batch_first)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def alibi_slopes(n_heads):
    start = 2 ** (-8 / n_heads)
    return torch.tensor([start ** (i + 1) for i in range(n_heads)])


class AlibiBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(dim)
        self.ln2 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=0.0, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.register_buffer("slopes", alibi_slopes(heads), persistent=False)

    def attn_bias(self, L, device):
        pos = torch.arange(L, device=device)
        dist = (pos[None, :] - pos[:, None]).float()
        alibi = self.slopes[:, None, None] * dist[None]
        future = torch.triu(torch.full((L, L), float("-inf"), device=device), diagonal=0)  # BUG: diagonal=0 also blocks each note token from itself; row 0 has no key
        return alibi + future

    def forward(self, x):
        N, L, _ = x.shape
        bias = self.attn_bias(L, x.device).repeat(N, 1, 1)
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, attn_mask=bias, need_weights=False)
        x = x + a
        return x + self.ff(self.ln2(x))


class NotesLM(nn.Module):
    def __init__(self, vocab=300, dim=32, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.blocks = nn.Sequential(*[AlibiBlock(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.out = nn.Linear(dim, vocab)

    def forward(self, tokens):
        h = self.emb(tokens) * math.sqrt(self.emb.embedding_dim)
        return self.out(self.norm(self.blocks(h)))


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = NotesLM()
    tokens = torch.randint(0, 300, (2, 10))
    logits = lm(tokens)
    loss = F.cross_entropy(logits[:, :-1].flatten(0, 1), tokens[:, 1:].flatten())
    print("loss", round(loss.item(), 5), "nan", bool(torch.isnan(logits).any()))
