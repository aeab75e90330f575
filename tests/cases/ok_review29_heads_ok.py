import torch
from torch import nn


class BatchMajor(nn.Module):
    def __init__(self, dim, h):
        super().__init__()
        self.h, self.d = h, dim // h
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, pad):
        b, n, _ = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q = q.view(b, n, self.h, self.d).transpose(1, 2).reshape(b * self.h, n, self.d)
        k = k.view(b, n, self.h, self.d).transpose(1, 2).reshape(b * self.h, n, self.d)
        v = v.view(b, n, self.h, self.d).transpose(1, 2).reshape(b * self.h, n, self.d)
        att = torch.bmm(q, k.transpose(1, 2)) * self.d ** -0.5
        # (b, n) -> (b, h, n, n) -> (b*h, n, n): batch-major, like the scores
        mask = pad[:, None, None, :].expand(b, self.h, n, n).reshape(b * self.h, n, n)
        att = att.masked_fill(mask, float("-inf"))
        out = torch.bmm(att.softmax(-1), v)
        return out.view(b, self.h, n, self.d).transpose(1, 2).reshape(b, n, -1)


class BatchMajor2(nn.Module):
    def __init__(self, dim, h):
        super().__init__()
        self.h, self.d = h, dim // h
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, pad):
        b, n, _ = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q = q.view(b, n, self.h, self.d).transpose(1, 2).reshape(b * self.h, n, self.d)
        k = k.view(b, n, self.h, self.d).transpose(1, 2).reshape(b * self.h, n, self.d)
        v = v.view(b, n, self.h, self.d).transpose(1, 2).reshape(b * self.h, n, self.d)
        att = torch.bmm(q, k.transpose(1, 2)) * self.d ** -0.5
        # scores back to (b, h, n, n) before masking: a (b, 1, 1, n) mask broadcasts
        att = att.view(b, self.h, n, n).masked_fill(pad[:, None, None, :], float("-inf"))
        att = att.view(b * self.h, n, n)
        out = torch.bmm(att.softmax(-1), v)
        return out.view(b, self.h, n, self.d).transpose(1, 2).reshape(b, n, -1)


class HeadMajorBackToBatch(nn.Module):
    """Kyubyong-style split/concat for the projections; the scores reordered to (h, b) first."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.wq, self.wk = nn.Linear(dim, dim), nn.Linear(dim, dim)

    def forward(self, x, pad):
        d = x.size(-1) // self.heads
        b, n, _ = x.shape
        q = torch.cat(self.wq(x).split(d, dim=-1), dim=0)
        k = torch.cat(self.wk(x).split(d, dim=-1), dim=0)
        att = torch.bmm(q, k.transpose(1, 2))  # (h*b, n, n)
        att = att.view(self.heads, b, n, n).transpose(0, 1).reshape(b * self.heads, n, n)  # now b*h + h
        mask = pad[:, None, :].expand(b, n, n).repeat_interleave(self.heads, dim=0)
        return att.masked_fill(mask, -1e9).softmax(-1)


def image_rows(x, pad_cols, h):
    """Row attention over an image (b, h, w, c): rows folded batch-major; mask per row."""
    b, H, W, c = x.shape
    rows = x.reshape(b * H, W, c)
    att = rows @ rows.transpose(1, 2)
    mask = pad_cols[:, None, :].repeat_interleave(H, dim=0)
    return att.masked_fill(mask, float("-inf")).softmax(-1)
