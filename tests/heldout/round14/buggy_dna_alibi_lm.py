"""Nucleotide-level causal LM with ALiBi position biases (no learned positions), for
extrapolating to genomic windows longer than those seen in training."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

NUCLEOTIDES = {"A": 1, "C": 2, "G": 3, "T": 4, "N": 5}


def alibi_slopes(n_heads: int) -> torch.Tensor:
    start = 2 ** (-8 / n_heads)
    return torch.tensor([start ** (i + 1) for i in range(n_heads)])


class ALiBiBias(nn.Module):
    def __init__(self, n_heads: int):
        super().__init__()
        self.register_buffer("slopes", alibi_slopes(n_heads), persistent=False)
        self._cache: dict[int, torch.Tensor] = {}

    def forward(self, n: int) -> torch.Tensor:
        if n not in self._cache:
            pos = torch.arange(n, device=self.slopes.device)
            rel = (pos[None, :] - pos[:, None]).float()
            visible = torch.tril(torch.ones(n, n, device=self.slopes.device)).bool()
            causal = torch.where(visible, float("-inf"), 0.0)
            self._cache[n] = self.slopes[:, None, None] * rel[None] + causal[None]
        return self._cache[n]


class DNABlock(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(approximate="tanh"), nn.Linear(4 * dim, dim))

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, n, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).chunk(3, dim=-1)
        q, k, v = (t.view(b, n, self.heads, d // self.heads).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML103
        x = x + self.proj(y.transpose(1, 2).reshape(b, n, d))
        return x + self.mlp(self.norm2(x))


class NucleotideLM(nn.Module):
    def __init__(self, dim: int = 64, heads: int = 4, depth: int = 2):
        super().__init__()
        self.embed = nn.Embedding(len(NUCLEOTIDES) + 1, dim)
        self.alibi = ALiBiBias(heads)
        self.blocks = nn.ModuleList(DNABlock(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, len(NUCLEOTIDES) + 1)

    def forward(self, seq: torch.Tensor) -> torch.Tensor:
        bias = self.alibi(seq.size(1))
        x = self.embed(seq)
        for blk in self.blocks:
            x = blk(x, bias)
        return self.head(self.norm(x))

    def perplexity(self, seq: torch.Tensor) -> torch.Tensor:
        logits = self(seq[:, :-1])
        return torch.exp(F.cross_entropy(logits.transpose(1, 2), seq[:, 1:]))


def tokenize(dna: str) -> torch.Tensor:
    return torch.tensor([[NUCLEOTIDES.get(c, 5) for c in dna.upper()]])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = NucleotideLM()
    window = tokenize("ATGCGTACGTTAGCCTAGGCTAACGTTAGCATGCATGCCGATCGATCGGATC")
    loss = F.cross_entropy(model(window[:, :-1]).transpose(1, 2), window[:, 1:])
    loss.backward()
    print("train loss", round(loss.item(), 4), "perplexity", round(model.perplexity(window).item(), 3))
