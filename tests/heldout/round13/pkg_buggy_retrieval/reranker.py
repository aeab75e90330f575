import torch
import torch.nn as nn

from .blocks import MaskedEncoderBlock
from .segments import per_head, segment_block_mask


class PackedReranker(nn.Module):
    def __init__(self, vocab=30000, dim=128, heads=4, depth=2, max_len=256):
        super().__init__()
        self.heads = heads
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(max_len, dim)
        self.seg = nn.Embedding(16, dim)
        self.blocks = nn.ModuleList(MaskedEncoderBlock(dim, heads) for _ in range(depth))
        self.score = nn.Linear(dim, 1)

    def forward(self, input_ids, segment_ids, valid):
        x = self.tok(input_ids) + self.pos.weight[: input_ids.size(1)] + self.seg(segment_ids)
        masks = per_head(segment_block_mask(segment_ids, valid), self.heads)
        for blk in self.blocks:
            x = blk(x, masks)
        # score each passage from its first token
        first = (segment_ids[:, 1:] != segment_ids[:, :-1]) & valid[:, 1:]
        return self.score(x[:, 1:][first]).squeeze(-1)
