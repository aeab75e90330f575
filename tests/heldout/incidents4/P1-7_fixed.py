import torch
from torch import nn, einsum
import torch.nn.functional as F
from einops import rearrange, repeat


class HaloAttention(nn.Module):
    def __init__(self, *, dim, block_size, halo_size, dim_head=64, heads=8):
        super().__init__()
        assert halo_size > 0, "halo size must be greater than 0"
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
        b, c, h, w, block, halo, heads, device = *x.shape, self.block_size, self.halo_size, self.heads, x.device
        assert h % block == 0 and w % block == 0, "fmap dimensions must be divisible by the block size"
        assert c == self.dim

        q_inp = rearrange(x, "b c (h p1) (w p2) -> (b h w) (p1 p2) c", p1=block, p2=block)
        kv_inp = F.unfold(x, kernel_size=block + halo * 2, stride=block, padding=halo)
        kv_inp = rearrange(kv_inp, "b (c j) i -> (b i) j c", c=c)

        q = self.to_q(q_inp)
        k, v = self.to_kv(kv_inp).chunk(2, dim=-1)
        q, k, v = map(lambda t: rearrange(t, "b n (h d) -> (b h) n d", h=heads), (q, k, v))
        q = q * self.scale

        sim = einsum("b i d, b j d -> b i j", q, k)

        mask = torch.ones(1, 1, h, w, device=device)
        mask = F.unfold(mask, kernel_size=block + (halo * 2), stride=block, padding=halo)
        mask = repeat(mask, "() j i -> (b i h) () j", b=b, h=heads)
        mask = ~mask.bool()

        max_neg_value = -torch.finfo(sim.dtype).max
        sim.masked_fill_(mask, max_neg_value)

        attn = sim.softmax(dim=-1)
        out = einsum("b i j, b j d -> b i d", attn, v)
        out = rearrange(out, "(b h) n d -> b n (h d)", h=heads)
        out = self.to_out(out)
        return rearrange(out, "(b h w) (p1 p2) c -> b c (h p1) (w p2)", b=b, h=(h // block), w=(w // block), p1=block, p2=block)


class HaloStage(nn.Module):
    def __init__(self, dim, depth, block_size=8, halo_size=4):
        super().__init__()
        self.layers = nn.ModuleList([HaloAttention(dim=dim, block_size=block_size, halo_size=halo_size, heads=4, dim_head=16) for _ in range(depth)])
        self.norms = nn.ModuleList([nn.BatchNorm2d(dim) for _ in range(depth)])

    def forward(self, x):
        for attn, norm in zip(self.layers, self.norms):
            x = x + attn(norm(x))
        return x
