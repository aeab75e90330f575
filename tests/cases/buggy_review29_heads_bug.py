import torch
from torch import nn


class PermuteFold(nn.Module):
    def __init__(self, dim, num_heads):
        super().__init__()
        self.num_heads, self.d = num_heads, dim // num_heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, pad):
        b, n, _ = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q = q.reshape(b, n, self.num_heads, self.d).permute(0, 2, 1, 3).reshape(b * self.num_heads, n, self.d)
        k = k.reshape(b, n, self.num_heads, self.d).permute(0, 2, 1, 3).reshape(b * self.num_heads, n, self.d)
        att = torch.bmm(q, k.transpose(1, 2))
        mask = pad[:, None, :].expand(b, n, n).repeat(self.num_heads, 1, 1)
        return att.masked_fill(mask, float("-inf")).softmax(-1)  # expect: ML302


class FlattenFold(nn.Module):
    def __init__(self, dim, num_heads):
        super().__init__()
        self.num_heads, self.d = num_heads, dim // num_heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, pad):
        b, n, _ = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q = q.view(b, n, self.num_heads, self.d).transpose(1, 2).flatten(0, 1)
        k = k.view(b, n, self.num_heads, self.d).transpose(1, 2).flatten(0, 1)
        att = torch.bmm(q, k.transpose(1, 2))
        mask = pad[:, None, :].expand(b, n, n).repeat(self.num_heads, 1, 1)
        return att.masked_fill(mask, float("-inf")).softmax(-1)  # expect: ML302


class ChunkHeadMajor(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.wq, self.wk = nn.Linear(dim, dim), nn.Linear(dim, dim)

    def forward(self, x, pad):
        q = torch.cat(torch.chunk(self.wq(x), self.n_heads, dim=-1), dim=0)
        k = torch.cat(torch.chunk(self.wk(x), self.n_heads, dim=-1), dim=0)
        att = torch.bmm(q, k.transpose(1, 2))
        mask = pad.unsqueeze(1).repeat_interleave(self.n_heads, dim=0)
        return att.masked_fill(mask, -1e9).softmax(-1)  # expect: ML302


class StackHeadMajor(nn.Module):
    def __init__(self, dim, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.wq, self.wk = nn.Linear(dim, dim), nn.Linear(dim, dim)

    def forward(self, x, pad):
        d = x.size(-1) // self.n_heads
        q = torch.cat(self.wq(x).split(d, 2), 0)  # positional dim
        k = torch.cat(self.wk(x).split(d, 2), 0)
        att = torch.bmm(q, k.transpose(1, 2))
        mask = pad.unsqueeze(1).repeat_interleave(self.n_heads, dim=0)
        return att.masked_fill(mask, -1e9).softmax(-1)  # expect: ML302
