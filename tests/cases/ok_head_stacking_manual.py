"""Near-misses: the mask stacked per head in the order the scores fold the heads."""
import torch
from torch import nn


class BatchMajorAttention(nn.Module):
    def __init__(self, dim, num_heads):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, dim // num_heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, padding_mask):
        b, n, _ = x.shape

        def fold(t):
            return t.view(b, n, self.num_heads, self.head_dim).transpose(1, 2).reshape(b * self.num_heads, n, self.head_dim)

        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q, k, v = fold(q), fold(k), fold(v)
        scores = torch.bmm(q, k.transpose(1, 2)) / self.head_dim ** 0.5
        mask = padding_mask[:, None, :].expand(b, n, n).repeat_interleave(self.num_heads, dim=0)
        scores = scores.masked_fill(mask, float("-inf"))
        out = torch.bmm(scores.softmax(-1), v)
        return out.view(b, self.num_heads, n, self.head_dim).transpose(1, 2).reshape(b, n, -1)


class HeadMajorAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.wq, self.wk, self.wv = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)

    def forward(self, x, pad):
        d = x.size(-1) // self.heads
        q = torch.cat(self.wq(x).split(d, dim=-1), dim=0)
        k = torch.cat(self.wk(x).split(d, dim=-1), dim=0)
        v = torch.cat(self.wv(x).split(d, dim=-1), dim=0)
        att = torch.matmul(q, k.transpose(1, 2)) * d ** -0.5
        pad = pad.unsqueeze(1).expand(-1, x.size(1), -1).repeat(self.heads, 1, 1)
        att = att.masked_fill(pad, -1e9)
        out = torch.matmul(att.softmax(-1), v)
        return torch.cat(out.split(x.size(0), dim=0), dim=-1)


def attend(q, k, v, mask, h):
    b, n, d = q.shape
    q = q.view(b, n, h, d // h).transpose(1, 2).contiguous().view(b * h, n, d // h)
    k = k.view(b, n, h, d // h).transpose(1, 2).contiguous().view(b * h, n, d // h)
    w = q @ k.transpose(-2, -1)
    w = w.masked_fill(mask.repeat_interleave(h, dim=0) == 0, float("-inf"))
    return w.softmax(-1)
