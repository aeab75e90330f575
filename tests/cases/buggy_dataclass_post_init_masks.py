"""Masks a dataclass computes in __post_init__ (fields declared with field(init=False)), read
by the model from the batch object."""
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

PAD = 0


@dataclass
class SetBatch:
    items: torch.Tensor
    pad_mask: torch.Tensor = field(init=False)

    def __post_init__(self):
        self.pad_mask = (self.items == PAD)[:, None, None, :]


@dataclass
class Window:
    length: int
    width: int = 2
    allowed: torch.Tensor = field(init=False, repr=False)

    def __post_init__(self):
        i = torch.arange(self.length)
        self.allowed = ((i[:, None] - i[None, :]).abs() <= self.width).float()


class SetEncoder(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(20, dim, padding_idx=PAD)
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.mha = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, batch: SetBatch):
        x = self.emb(batch.items)
        n, s, d = x.shape
        q, k, v = self.qkv(x).view(n, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=batch.pad_mask)  # expect: ML102

    def local(self, x, window: Window):
        return self.mha(x, x, x, attn_mask=window.allowed)[0]  # expect: ML202

    def fixed(self, batch: SetBatch):
        x = self.emb(batch.items)
        n, s, d = x.shape
        q, k, v = self.qkv(x).view(n, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=~batch.pad_mask)


if __name__ == "__main__":
    model = SetEncoder()
    batch = SetBatch(torch.tensor([[3, 4, 0], [5, 6, 7]]))
    model.fixed(batch)
    model.local(torch.randn(2, 6, 32), Window(6))
