"""Attention backends behind a registry; each backend converts the canonical keep mask into the
convention of the API it calls."""
import torch
import torch.nn as nn
import torch.nn.functional as F

BACKENDS = {}


def backend(name):
    def wrap(cls):
        BACKENDS[name] = cls
        return cls
    return wrap


@backend("torch_mha")
class MHABackend(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.mha = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, keep):
        return self.mha(x, x, x, key_padding_mask=~keep, need_weights=False)[0]


@backend("sdpa")
class SDPABackend(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)

    def forward(self, x, keep):
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None, None, :])
        return self.o(y.transpose(1, 2).reshape(B, S, D))


class Encoder(nn.Module):
    def __init__(self, impl="sdpa", d=32, h=4):
        super().__init__()
        self.attn = BACKENDS[impl](d, h)

    def forward(self, x, lengths):
        keep = torch.arange(x.size(1))[None] < lengths[:, None]
        return x + self.attn(x, keep)


if __name__ == "__main__":
    x, lens = torch.randn(2, 6, 32), torch.tensor([6, 3])
    for impl in BACKENDS:
        enc = Encoder(impl)
        print(impl, torch.allclose(enc(x, lens)[1, :3], enc(x[1:, :3], lens[1:])[0], atol=1e-5))
