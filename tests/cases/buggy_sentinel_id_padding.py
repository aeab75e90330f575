"""Empty slots marked by an id of their own (-1, an EMPTY constant) rather than a pad token: the
comparison is a padding mask like `ids == pad_id`, and the polarity rules apply to it."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

UNUSED = -1


@dataclass
class ShelfBatch:
    features: torch.Tensor
    slot_id: torch.Tensor

    @property
    def vacant(self):
        return self.slot_id == UNUSED


class ShelfMixer(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, batch: ShelfBatch):
        x = batch.features
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=batch.vacant[:, None, None, :])  # expect: ML102


class ChainEncoder(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, x, chain_id):
        present = chain_id != -1
        return self.attn(x, x, x, key_padding_mask=present)[0]  # expect: ML101
