"""Blocked local attention with halo (1-D variant). Keys falling in the zero padding are masked."""
import torch
import torch.nn.functional as F
from torch import nn, einsum


class HaloAttention1d(nn.Module):
    def __init__(self, *, dim, block_size, halo_size, dim_head=16, heads=4):
        super().__init__()
        assert halo_size > 0
        self.dim = dim
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.block_size = block_size
        self.halo_size = halo_size
        inner_dim = dim_head * heads
        self.to_q = nn.Linear(dim, inner_dim, bias=False)
        self.to_kv = nn.Linear(dim, inner_dim * 2, bias=False)
        self.to_out = nn.Linear(inner_dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        block, halo, heads = self.block_size, self.halo_size, self.heads
        assert n % block == 0
        nb = n // block
        q_inp = x.view(b, nb, block, c)
        kv_inp = F.pad(x.transpose(1, 2), (halo, halo)).unfold(2, block + 2 * halo, block)  # b c nb w
        kv_inp = kv_inp.permute(0, 2, 3, 1)  # b nb w c

        q = self.to_q(q_inp)
        k, v = self.to_kv(kv_inp).chunk(2, dim=-1)
        q, k, v = (t.reshape(b * nb, t.shape[2], heads, -1).transpose(1, 2) for t in (q, k, v))
        q = q * self.scale
        sim = einsum("b h i d, b h j d -> b h i j", q, k)

        mask = torch.ones(b, 1, n, device=x.device)
        mask = F.pad(mask, (halo, halo)).unfold(2, block + 2 * halo, block)  # b 1 nb w
        mask = mask.reshape(b * nb, 1, 1, -1).bool()
        max_neg_value = -torch.finfo(sim.dtype).max
        sim.masked_fill_(~mask, max_neg_value)

        attn = sim.softmax(dim=-1)
        out = einsum("b h i j, b h j d -> b h i d", attn, v)
        out = out.transpose(1, 2).reshape(b, nb * block, -1)
        return self.to_out(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = HaloAttention1d(dim=32, block_size=4, halo_size=2)
    x = torch.randn(2, 16, 32)
    print(layer(x).shape)
