"""A tokenizer mask (1 = real token) extended with view/reshape to (N, 1, 1, S) and used as the
masked_fill condition without `== 0`: the real tokens are hidden.  Three spellings."""
import math

import torch
import torch.nn as nn


class DistilStyleAttention(nn.Module):
    def __init__(self, dim=32, n_heads=4):
        super().__init__()
        self.n_heads, self.dim = n_heads, dim
        self.q_lin, self.k_lin = nn.Linear(dim, dim), nn.Linear(dim, dim)

    def forward(self, x, attention_mask):
        bs, q_length, dim = x.size()
        mask_reshp = (bs, 1, 1, q_length)
        q = self.q_lin(x).view(bs, -1, self.n_heads, dim // self.n_heads).transpose(1, 2)
        k = self.k_lin(x).view(bs, -1, self.n_heads, dim // self.n_heads).transpose(1, 2)
        scores = torch.matmul(q / math.sqrt(dim // self.n_heads), k.transpose(2, 3))
        mask = attention_mask.view(mask_reshp).expand_as(scores).bool()
        scores = scores.masked_fill(mask, torch.tensor(torch.finfo(scores.dtype).min))  # expect: ML101
        return scores.softmax(-1)


def reshaped(scores, attention_mask):
    keep = attention_mask.reshape(scores.size(0), 1, 1, -1).bool()
    return scores.masked_fill(keep, float("-inf")).softmax(dim=-1)  # expect: ML101


def with_tensor_fill(scores, attention_mask):
    m = attention_mask.view(attention_mask.size(0), 1, 1, attention_mask.size(1))
    return torch.softmax(scores.masked_fill(m.bool(), torch.tensor(-1e4)), dim=-1)  # expect: ML101
