"""Blocked local (halo) self-attention for 2D feature maps, functional core + thin module."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def to_blocks(x, block):
    b, c, h, w = x.shape
    x = x.view(b, c, h // block, block, w // block, block)
    return x.permute(0, 2, 4, 3, 5, 1).reshape(b * (h // block) * (w // block), block * block, c)


def halo_keys(x, block, halo):
    b, c, h, w = x.shape
    win = block + 2 * halo
    kv = F.unfold(x, kernel_size=win, stride=block, padding=halo)
    return kv.view(b, c, win * win, -1).permute(0, 3, 2, 1).reshape(-1, win * win, c)


def halo_padding_mask(x, block, halo):
    """Positions that come from real pixels (1) vs zero padding (0)."""
    b, _, h, w = x.shape
    win = block + 2 * halo
    ones = x.new_ones(1, 1, h, w)
    m = F.unfold(ones, kernel_size=win, stride=block, padding=halo)
    m = m.view(1, win * win, -1).permute(0, 2, 1).reshape(-1, win * win)
    return m.repeat(b, 1)


def halo_attend(q_in, kv_in, mask, to_q, to_kv, heads):
    n, lq, c = q_in.shape
    d = c // heads
    q = to_q(q_in).view(n, lq, heads, d).transpose(1, 2) * d ** -0.5
    k, v = to_kv(kv_in).chunk(2, dim=-1)
    k = k.view(n, -1, heads, d).transpose(1, 2)
    v = v.view(n, -1, heads, d).transpose(1, 2)
    sim = q @ k.transpose(-1, -2)
    mask = ~mask[:, None, None, :]
    sim.masked_fill_(mask, -torch.finfo(sim.dtype).max)
    attn = sim.softmax(-1)
    return (attn @ v).transpose(1, 2).reshape(n, lq, c)


class HaloAttention(nn.Module):
    def __init__(self, dim, block_size=4, halo_size=1, heads=4):
        super().__init__()
        self.block, self.halo, self.heads = block_size, halo_size, heads
        self.to_q = nn.Linear(dim, dim, bias=False)
        self.to_kv = nn.Linear(dim, 2 * dim, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x):
        b, c, h, w = x.shape
        q_in = to_blocks(x, self.block)
        kv_in = halo_keys(x, self.block, self.halo)
        mask = halo_padding_mask(x, self.block, self.halo).bool()
        out = self.to_out(halo_attend(q_in, kv_in, mask, self.to_q, self.to_kv, self.heads))
        nb_h, nb_w = h // self.block, w // self.block
        out = out.view(b, nb_h, nb_w, self.block, self.block, c)
        return out.permute(0, 5, 1, 3, 2, 4).reshape(b, c, h, w)


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = HaloAttention(16)
    x = torch.randn(2, 16, 8, 8)
    print(layer(x).shape)
