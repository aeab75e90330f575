"""Longformer-style sliding-window + global attention for long-document QA,
expressed as a FlexAttention mask_mod (True = attend):
    allowed(q, kv) = real(kv) and (|q - kv| <= w  or  global(q)  or  global(kv))
Global tokens are the question tokens at the start of each sequence."""
import warnings
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


@dataclass
class LongQAConfig:
    vocab: int = 3000
    dim: int = 64
    heads: int = 4
    layers: int = 2
    window: int = 4


def build_block_mask(lengths, n_global, L, window):
    def mask_mod(b, h, q_idx, kv_idx):
        local = (q_idx - kv_idx).abs() <= window
        glob = (q_idx < n_global[b]) | (kv_idx < n_global[b])
        return (kv_idx < lengths[b]) & (local | glob)

    return create_block_mask(mask_mod, lengths.size(0), None, L, L, device=lengths.device), mask_mod


class Layer(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

    def forward(self, x, block_mask):
        B, L, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, L, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        x = x + self.o(flex_attention(q, k, v, block_mask=block_mask).transpose(1, 2).reshape(B, L, D))
        return x + self.ff(self.ln2(x))


class LongQA(nn.Module):
    def __init__(self, cfg: LongQAConfig):
        super().__init__()
        self.cfg = cfg
        self.tok, self.pos = nn.Embedding(cfg.vocab, cfg.dim), nn.Embedding(1024, cfg.dim)
        self.layers = nn.ModuleList(Layer(cfg.dim, cfg.heads) for _ in range(cfg.layers))
        self.span = nn.Linear(cfg.dim, 2)

    def forward(self, ids, lengths, n_question):
        L = ids.size(1)
        x = self.tok(ids) + self.pos(torch.arange(L))
        bm, _ = build_block_mask(lengths, n_question, L, self.cfg.window)
        for layer in self.layers:
            x = layer(x, bm)
        start, end = self.span(x).unbind(-1)
        real = torch.arange(L)[None] < lengths[:, None]
        return start.masked_fill(~real, float("-inf")), end.masked_fill(~real, float("-inf"))


if __name__ == "__main__":
    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    model = LongQA(LongQAConfig()).eval()
    ids = torch.randint(1, 3000, (2, 64))
    lengths, nq = torch.tensor([64, 45]), torch.tensor([5, 3])
    with torch.no_grad():
        s, e = model(ids, lengths, nq)
        # materialise the same mask_mod densely to check its polarity
        _, mm = build_block_mask(lengths, nq, 64, 4)
        b, qi, ki = torch.meshgrid(torch.arange(2), torch.arange(64), torch.arange(64), indexing="ij")
        dense = mm(b, None, qi, ki)
        ids2 = ids.clone()
        ids2[1, 45:] = 7  # padding content
        ids2[0, 40] = 9  # far from token 20, which is neither global nor within the window
        s2, _ = model(ids2, lengths, nq)
    assert dense[1, :, 45:].sum() == 0 and dense[0, 20, 40] == False and dense[0, 20, 2]
    assert torch.allclose(s[1, :45], s2[1, :45], atol=1e-5)
    assert torch.isfinite(s[0]).all() and torch.isfinite(s[1, :45]).all()
    print("OK: window/global mask_mod with correct polarity; padding ignored")
