import torch
import torch.nn as nn
import torch.nn.functional as F

from .masks import causal_packed, same_utterance
from .packing import N_UNITS


class UnitAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, seg):
        B, L, D = x.shape
        q, k, v = self.qkv(x).view(B, L, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        mask = causal_packed(seg)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask[:, None])  # BUG: block mask (other utterance | future) passed to SDPA where True = attend
        return self.proj(y.transpose(1, 2).reshape(B, L, D))


class UnitLM(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(N_UNITS + 1, dim)
        self.attn = nn.ModuleList(UnitAttention(dim, heads) for _ in range(depth))
        self.ff = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim)) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, N_UNITS + 1)

    def forward(self, ids, seg):
        x = self.emb(ids)
        for attn, ff, norm in zip(self.attn, self.ff, self.norm):
            x = x + attn(norm(x), seg)
            x = x + ff(x)
        return self.head(x)


class UtteranceScorer(nn.Module):
    """Bidirectional scorer over a packed row: one quality score per utterance slot."""

    def __init__(self, dim=32, heads=4, depth=1):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(N_UNITS + 1, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.score = nn.Linear(dim, 1)

    def forward(self, ids, seg):
        within = same_utterance(seg).repeat_interleave(self.heads, dim=0)
        h = self.encoder(self.emb(ids), mask=within)  # BUG: same-utterance keep mask given to nn.TransformerEncoder, which blocks True
        return self.score(h).squeeze(-1)
