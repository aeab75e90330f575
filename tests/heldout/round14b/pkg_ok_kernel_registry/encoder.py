import torch
import torch.nn as nn
import torch.nn.functional as F

from .kernels import lookup
from .masking import key_keep_mask


class BiEncoderLayer(nn.Module):
    def __init__(self, dim, heads, kernel="sdpa"):
        super().__init__()
        self.heads = heads
        self.attend = lookup(kernel)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, keep):
        B, S, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, S, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = self.attend(q, k, v, keep, 0.0)
        x = x + self.o(y.transpose(1, 2).reshape(B, S, D))
        return x + self.ff(self.ln2(x))


class BiEncoder(nn.Module):
    def __init__(self, vocab=4000, dim=64, heads=4, layers=2, kernel="sdpa"):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(256, dim)
        self.layers = nn.ModuleList(BiEncoderLayer(dim, heads, kernel) for _ in range(layers))

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        keep = key_keep_mask(attention_mask)
        for layer in self.layers:
            x = layer(x, keep)
        w = attention_mask.unsqueeze(-1).to(x.dtype)
        return F.normalize((x * w).sum(1) / w.sum(1), dim=-1)
