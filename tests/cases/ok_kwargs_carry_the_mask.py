"""Correct: a model that hands its blocks **kwargs, which may hold the attention mask (callers
pass it by keyword): the blocks' attention_mask=None default is not what they get."""
import torch
import torch.nn.functional as F
from torch import nn


class Block(nn.Module):
    def __init__(self, dim=16, heads=2):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, attention_mask=None, **unused):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        mask = None if attention_mask is None else attention_mask.bool()[:, None, None, :]
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask).transpose(1, 2).reshape(b, s, d)


class Encoder(nn.Module):
    def __init__(self, vocab=50, dim=16):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.blocks = nn.ModuleList(Block(dim) for _ in range(2))

    def forward(self, input_ids, **kwargs):
        x = self.emb(input_ids)
        for block in self.blocks:
            x = block(x, **kwargs)
        return x


if __name__ == "__main__":
    ids = torch.tensor([[3, 4, 0], [5, 6, 7]])
    Encoder()(ids, attention_mask=(ids != 0).long())
