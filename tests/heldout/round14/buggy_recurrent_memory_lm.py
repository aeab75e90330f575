"""Recurrent-memory language model for long documents.

The document is processed in segments; each segment attends to a fixed number of memory
vectors carried over from the previous segment plus its own tokens. Mask construction is
shared through a mixin used by several model variants in the project."""
from __future__ import annotations

from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn


class CausalMaskMixin:
    """Boolean masks in torch.nn convention for [memory ; segment] keys."""

    def causal_mask(self, seg_len: int, mem_len: int, device=None) -> torch.Tensor:
        seg = torch.ones(seg_len, seg_len, dtype=torch.bool, device=device).triu(1)
        mem = torch.zeros(seg_len, mem_len, dtype=torch.bool, device=device)
        return torch.cat([mem, seg], dim=1)


class MemoryBlock(CausalMaskMixin, nn.Module):
    def __init__(self, dim: int, heads: int, dropout: float = 0.1):
        super().__init__()
        self.ln_q, self.ln_kv = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.ffn = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, h: torch.Tensor, memory: torch.Tensor) -> torch.Tensor:
        kv = self.ln_kv(torch.cat([memory, h], dim=1))
        mask = self.causal_mask(h.size(1), memory.size(1), h.device)
        out, _ = self.attn(self.ln_q(h), kv, kv, mask, need_weights=False)  # expect: ML501
        h = h + out
        return h + self.ffn(h)


class RecurrentMemoryLM(nn.Module):
    def __init__(self, vocab: int = 8000, dim: int = 64, heads: int = 4, depth: int = 2, mem_slots: int = 4,
                 segment: int = 16):
        super().__init__()
        self.segment = segment
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(segment, dim)
        self.mem_init = nn.Parameter(torch.randn(mem_slots, dim) * 0.02)
        self.blocks = nn.ModuleList(MemoryBlock(dim, heads) for _ in range(depth))
        self.mem_update = nn.GRUCell(dim, dim)
        self.head = nn.Linear(dim, vocab)

    def step(self, ids: torch.Tensor, memory: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        h = self.tok(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        for blk in self.blocks:
            h = blk(h, memory)
        summary = h.mean(dim=1, keepdim=True).expand_as(memory)
        new_mem = self.mem_update(summary.reshape(-1, summary.size(-1)), memory.reshape(-1, memory.size(-1)))
        return self.head(h), new_mem.view_as(memory)

    def forward(self, doc: torch.Tensor, memory: Optional[torch.Tensor] = None):
        memory = self.mem_init.expand(doc.size(0), -1, -1) if memory is None else memory
        logits = []
        for seg in doc.split(self.segment, dim=1):
            out, memory = self.step(seg, memory)
            memory = memory.detach()
            logits.append(out)
        return torch.cat(logits, dim=1), memory


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RecurrentMemoryLM()
    doc = torch.randint(0, 8000, (2, 49))
    try:
        logits, mem = model(doc[:, :-1])
        loss = F.cross_entropy(logits.transpose(1, 2), doc[:, 1:])
        loss.backward()
        print("segment-recurrent loss", round(loss.item(), 4), "memory", tuple(mem.shape))
    except (AssertionError, RuntimeError) as err:
        print("forward failed:", err)
