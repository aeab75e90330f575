"""Half-precision attention masked with the float16 minimum written out: -65504.0 is exactly
torch.finfo(torch.float16).min, so masked_fill does not overflow (BERT-pytorch's fix); the same
constant as 6.5504e4 negated."""
import math

import torch
import torch.nn as nn


class Attention(nn.Module):
    def forward(self, q, k, v, mask):
        scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
        scores = scores.masked_fill(mask == 0, -65504.0)
        return scores.softmax(-1) @ v


class Attention2(nn.Module):
    def forward(self, q, k, v, mask):
        scores = torch.matmul(q, k.transpose(-2, -1))
        scores = scores.masked_fill(mask == 0, -6.5504e4)
        return torch.softmax(scores, dim=-1) @ v


def half_step(model, q, k, v, mask):
    with torch.autocast("cuda", dtype=torch.float16):
        return model.half()(q.half(), k.half(), v.half(), mask)
