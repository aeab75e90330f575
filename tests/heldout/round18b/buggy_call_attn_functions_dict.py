"""Document layout understanding: words + bounding boxes, pluggable attention kernels."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def sdpa_attention(q, k, v, mask):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask[:, None, None, :])


def eager_attention(q, k, v, mask):
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.size(-1))
    scores = scores.masked_fill(~mask[:, None, None, :], float("-inf"))
    return scores.softmax(-1) @ v


ATTN_FUNCTIONS = {"sdpa": sdpa_attention, "eager": eager_attention}


class LayoutAttention(nn.Module):
    def __init__(self, d, heads, impl="sdpa"):
        super().__init__()
        self.heads, self.impl = heads, impl
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)

    def forward(self, x, pad):
        B, N, D = x.shape
        q, k, v = self.qkv(x).view(B, N, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = ATTN_FUNCTIONS[self.impl](q, k, v, pad)  # BUG: pad is input_ids == pad_id (True = padding) but both kernels treat True as attend
        return self.out(y.transpose(1, 2).reshape(B, N, D))


class LayoutEncoder(nn.Module):
    def __init__(self, vocab=600, d=32, heads=4, depth=2, pad_id=0, impl="sdpa"):
        super().__init__()
        self.pad_id = pad_id
        self.word = nn.Embedding(vocab, d, padding_idx=pad_id)
        self.box = nn.Linear(4, d)
        self.layers = nn.ModuleList(LayoutAttention(d, heads, impl) for _ in range(depth))
        self.norms = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.tagger = nn.Linear(d, 7)

    def forward(self, input_ids, boxes):
        pad = input_ids == self.pad_id
        x = self.word(input_ids) + self.box(boxes)
        for attn, norm in zip(self.layers, self.norms):
            x = x + attn(norm(x), pad)
        return self.tagger(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = LayoutEncoder()
    ids = torch.randint(1, 600, (2, 12))
    ids[0, 9:] = 0
    boxes = torch.rand(2, 12, 4)
    tags = model(ids, boxes)
    print("tags", round(tags[ids != 0].abs().mean().item(), 5))
