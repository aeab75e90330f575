import torch
from torch import nn

from .features import sdpa_key_mask
from .layers import Block


class ProductRelevanceModel(nn.Module):
    def __init__(self, vocab=400, dim=48, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.pos = nn.Embedding(64, dim)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        self.score = nn.Linear(dim, 1)

    def forward(self, input_ids, attention_mask):
        mask = sdpa_key_mask(attention_mask)
        x = self.emb(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        for blk in self.blocks:
            x = blk(x, mask)
        return self.score(x[:, 0]).squeeze(-1)
