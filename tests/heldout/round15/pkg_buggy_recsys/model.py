import torch
from torch import nn

from .data import SessionBatch
from .layers import SelfAttentionBlock


class NextItemModel(nn.Module):
    def __init__(self, n_items: int, dim: int = 32, heads: int = 2, depth: int = 2, max_len: int = 20):
        super().__init__()
        self.items = nn.Embedding(n_items + 1, dim, padding_idx=0)
        self.pos = nn.Embedding(max_len, dim)
        self.blocks = nn.ModuleList(SelfAttentionBlock(dim, heads) for _ in range(depth))
        self.out_norm = nn.LayerNorm(dim)

    def session_state(self, batch: SessionBatch) -> torch.Tensor:
        ids = batch.item_ids
        h = self.items(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        keep = batch.attention_mask.bool()
        for blk in self.blocks:
            h = blk(h, keep)
        return self.out_norm(h[:, -1])  # left padding: last slot is the latest interaction

    def forward(self, batch: SessionBatch) -> torch.Tensor:
        return self.session_state(batch) @ self.items.weight.t()
