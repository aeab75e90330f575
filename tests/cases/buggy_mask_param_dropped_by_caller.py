"""A layer whose mask parameter is not named like a mask (`keep`, `valid`) but goes straight into
the attention call's mask slot, called by a caller that holds that mask and passes nothing."""
import torch
import torch.nn.functional as F
from torch import nn


def masks(n_real, width):
    real = torch.arange(width)[None, :] < n_real[:, None]
    return ~real, real[:, None, None, :]


class Readout(nn.Module):
    def __init__(self, dim=16, heads=2, horizon=3):
        super().__init__()
        self.heads = heads
        self.queries = nn.Parameter(torch.randn(horizon, dim))
        self.kv = nn.Linear(dim, 2 * dim)

    def forward(self, memory, keep=None):
        n, s, d = memory.shape
        q = self.queries.expand(n, -1, -1).view(n, -1, self.heads, d // self.heads).transpose(1, 2)
        k, v = self.kv(memory).view(n, s, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=keep)


def pool(x, valid=None, heads=2):
    n, s, d = x.shape
    q = x.mean(1, keepdim=True).view(n, 1, heads, -1).transpose(1, 2)
    k = x.view(n, s, heads, -1).transpose(1, 2)
    return F.scaled_dot_product_attention(q, k, k, attn_mask=valid)


class Tracks(nn.Module):
    def __init__(self, dim=16):
        super().__init__()
        self.enc = nn.MultiheadAttention(dim, 2, batch_first=True)
        self.readout = Readout(dim)

    def forward(self, x, n_real):
        padding, keep = masks(n_real, x.size(1))
        memory = self.enc(x, x, x, key_padding_mask=padding)[0]
        return self.readout(memory)  # expect: ML504

    def summary(self, x, n_real):
        padding, keep = masks(n_real, x.size(1))
        return pool(x)  # expect: ML504

    def fixed(self, x, n_real):
        padding, keep = masks(n_real, x.size(1))
        memory = self.enc(x, x, x, key_padding_mask=padding)[0]
        return self.readout(memory, keep), pool(x, keep)


if __name__ == "__main__":
    m = Tracks()
    x, n = torch.randn(2, 5, 16), torch.tensor([5, 3])
    m(x, n)
    m.summary(x, n)
    m.fixed(x, n)
