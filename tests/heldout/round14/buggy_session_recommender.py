"""Next-item recommendation over user sessions (SASRec/BST family), sequence-first layout.

Histories are left padded with item 0; every position predicts the next item, and the model
must not attend to padding or to later clicks."""
from __future__ import annotations

from typing import List

import torch
import torch.nn.functional as F
from torch import nn


def left_pad(sessions: List[List[int]], max_len: int) -> torch.Tensor:
    rows = [s[-max_len:] for s in sessions]
    return torch.tensor([[0] * (max_len - len(r)) + r for r in rows])


def session_block_mask(items: torch.Tensor) -> torch.Tensor:
    """(B, L) item ids -> (B, L, L) bool, True where query i must not read key j."""
    b, n = items.shape
    future = torch.triu(torch.ones(n, n, dtype=torch.bool, device=items.device), 1)
    padded_key = items.eq(0)[:, None, :]
    block = future[None] | padded_key
    return block & ~torch.eye(n, dtype=torch.bool, device=items.device)


class SessionBlock(nn.Module):
    def __init__(self, dim: int, heads: int, dropout: float):
        super().__init__()
        self.heads = heads
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout)  # (L, B, E) layout
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Conv1d(dim, dim, 1), nn.ReLU(), nn.Dropout(dropout), nn.Conv1d(dim, dim, 1))

    def forward(self, x: torch.Tensor, block: torch.Tensor) -> torch.Tensor:
        bsz, n, _ = block.shape
        per_head = block.unsqueeze(0).expand(self.heads, -1, -1, -1).reshape(self.heads * bsz, n, n)
        q = self.ln1(x)
        x = x + self.attn(q, x, x, attn_mask=per_head, need_weights=False)[0]  # expect: ML302
        y = self.ln2(x).permute(1, 2, 0)
        return x + self.ffn(y).permute(2, 0, 1)


class SessionRecommender(nn.Module):
    def __init__(self, n_items: int = 2000, dim: int = 64, heads: int = 2, blocks: int = 2, max_len: int = 20,
                 dropout: float = 0.2):
        super().__init__()
        self.item_emb = nn.Embedding(n_items, dim, padding_idx=0)
        self.pos_emb = nn.Embedding(max_len, dim)
        self.blocks = nn.ModuleList(SessionBlock(dim, heads, dropout) for _ in range(blocks))
        self.final = nn.LayerNorm(dim)

    def forward(self, items: torch.Tensor) -> torch.Tensor:
        block = session_block_mask(items)
        x = self.item_emb(items) + self.pos_emb(torch.arange(items.size(1), device=items.device))
        x = x.transpose(0, 1)
        for blk in self.blocks:
            x = blk(x, block)
        return self.final(x.transpose(0, 1))

    def next_item_loss(self, items: torch.Tensor, positives: torch.Tensor, negatives: torch.Tensor):
        h = self(items)
        pos = (h * self.item_emb(positives)).sum(-1)
        neg = (h * self.item_emb(negatives)).sum(-1)
        valid = positives.ne(0).float()
        loss = F.softplus(-pos) + F.softplus(neg)
        return (loss * valid).sum() / valid.sum()

    @torch.no_grad()
    def recommend(self, items: torch.Tensor, k: int = 5) -> torch.Tensor:
        scores = self(items)[:, -1] @ self.item_emb.weight.T
        scores[:, 0] = float("-inf")
        return scores.topk(k, dim=-1).indices


if __name__ == "__main__":
    torch.manual_seed(0)
    sessions = [[12, 85, 85, 301, 7, 44, 1020], [5, 9], [300, 301, 302, 303], [77]]
    hist = left_pad([s[:-1] for s in sessions], 8)
    nxt = left_pad([s[1:] for s in sessions], 8)
    model = SessionRecommender()
    loss = model.next_item_loss(hist, nxt, torch.randint(1, 2000, nxt.shape) * nxt.ne(0))
    loss.backward()
    print("bpr loss", round(loss.item(), 4))
    print("top-5", model.eval().recommend(left_pad(sessions, 8)).tolist())
