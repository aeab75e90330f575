import warnings
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

from .masks import packed_causal

warnings.filterwarnings("ignore", message=".*flex_attention called without torch.compile.*")


@dataclass
class PackedLMConfig:
    vocab: int = 512
    dim: int = 64
    heads: int = 4
    layers: int = 2
    row_len: int = 64


class FlexBlock(nn.Module):
    def __init__(self, cfg: PackedLMConfig):
        super().__init__()
        self.h = cfg.heads
        self.n1, self.n2 = nn.LayerNorm(cfg.dim), nn.LayerNorm(cfg.dim)
        self.qkv, self.o = nn.Linear(cfg.dim, 3 * cfg.dim), nn.Linear(cfg.dim, cfg.dim)
        self.ff = nn.Sequential(nn.Linear(cfg.dim, 4 * cfg.dim), nn.GELU(), nn.Linear(4 * cfg.dim, cfg.dim))

    def forward(self, x, block_mask):
        b, n, d = x.shape
        q, k, v = self.qkv(self.n1(x)).view(b, n, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=block_mask)
        x = x + self.o(y.transpose(1, 2).reshape(b, n, d))
        return x + self.ff(self.n2(x))


class PackedLM(nn.Module):
    def __init__(self, cfg: PackedLMConfig = PackedLMConfig()):
        super().__init__()
        self.tok = nn.Embedding(cfg.vocab, cfg.dim)
        self.blocks = nn.ModuleList(FlexBlock(cfg) for _ in range(cfg.layers))
        self.head = nn.Linear(cfg.dim, cfg.vocab)

    def forward(self, tokens: torch.Tensor, doc_ids: torch.Tensor) -> torch.Tensor:
        b, n = tokens.shape
        block_mask = create_block_mask(packed_causal(doc_ids), b, None, n, n, device=str(tokens.device))
        x = self.tok(tokens)
        for blk in self.blocks:
            x = blk(x, block_mask)
        return self.head(x)

    @torch.no_grad()
    def packed_nll(self, tokens: torch.Tensor, doc_ids: torch.Tensor) -> torch.Tensor:
        logits = self(tokens, doc_ids)[:, :-1]
        target = tokens[:, 1:].masked_fill(doc_ids[:, 1:] != doc_ids[:, :-1], -100)
        return F.cross_entropy(logits.transpose(1, 2), target, ignore_index=-100)
