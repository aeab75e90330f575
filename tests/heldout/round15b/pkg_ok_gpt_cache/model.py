import torch
import torch.nn as nn

from .attention import CachedSelfAttention


class CachedGPT(nn.Module):
    def __init__(self, vocab=64, n_embd=32, n_head=4, n_layer=2, block_size=64):
        super().__init__()
        self.wte = nn.Embedding(vocab, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.ln = nn.ModuleList(nn.LayerNorm(n_embd) for _ in range(n_layer))
        self.attn = nn.ModuleList(CachedSelfAttention(n_embd, n_head) for _ in range(n_layer))
        self.head = nn.Linear(n_embd, vocab)

    def forward(self, idx, caches=None, start=0):
        x = self.wte(idx) + self.wpe(torch.arange(start, start + idx.size(1), device=idx.device))
        new = []
        for i, (ln, attn) in enumerate(zip(self.ln, self.attn)):
            a, kv = attn(ln(x), None if caches is None else caches[i])
            x = x + a
            new.append(kv)
        return self.head(x), new
