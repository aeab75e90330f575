"""halonet_pytorch.py - blocked local self-attention with halo (1-D variant).

Keys of each block are gathered with a halo; positions that fall in the
zero padding around the sequence are masked out of the similarity matrix.
"""
import torch
import torch.nn.functional as F
from torch import nn, einsum


class HaloAttention1d(nn.Module):
    def __init__(self, *, dim, block_size, halo_size, dim_head=8, heads=2):
        super().__init__()
        self.block_size = block_size
        self.halo_size = halo_size
        self.heads = heads
        self.scale = dim_head ** -0.5
        inner = dim_head * heads
        self.to_q = nn.Linear(dim, inner, bias=False)
        self.to_kv = nn.Linear(dim, inner * 2, bias=False)
        self.to_out = nn.Linear(inner, dim)

    def forward(self, x):
        b, n, d = x.shape
        block, halo, heads = self.block_size, self.halo_size, self.heads
        assert n % block == 0
        nb = n // block
        q_inp = x.reshape(b * nb, block, d)
        kv_inp = F.pad(x, (0, 0, halo, halo)).unfold(1, block + 2 * halo, block)
        kv_inp = kv_inp.permute(0, 1, 3, 2).reshape(b * nb, block + 2 * halo, d)

        q = self.to_q(q_inp)
        k, v = self.to_kv(kv_inp).chunk(2, dim=-1)
        q, k, v = (t.reshape(t.shape[0], t.shape[1], heads, -1).transpose(1, 2) for t in (q, k, v))
        sim = einsum("b h i d, b h j d -> b h i j", q, k) * self.scale

        # mask out padding: 1 where the halo window lies on real positions
        mask = torch.ones(1, n, 1, device=x.device)
        mask = F.pad(mask, (0, 0, halo, halo)).unfold(1, block + 2 * halo, block)
        mask = mask.reshape(1, nb, block + 2 * halo).repeat(b, 1, 1).reshape(b * nb, 1, 1, -1)
        mask = mask.bool()  # BUG
        max_neg_value = -torch.finfo(sim.dtype).max
        sim.masked_fill_(mask, max_neg_value)
        attn = sim.softmax(dim=-1)
        out = einsum("b h i j, b h j d -> b h i d", attn, v)
        out = out.transpose(1, 2).reshape(b, n, -1)
        self.attn = attn
        return self.to_out(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = HaloAttention1d(dim=16, block_size=4, halo_size=2)
    x = torch.randn(2, 8, 16)
    y = layer(x)
    # attention mass that lands on the zero-padded halo positions (first block, left halo)
    print("attention mass on left-halo padding in first block:", layer.attn[0, :, :, :2].sum(-1).mean().item())
