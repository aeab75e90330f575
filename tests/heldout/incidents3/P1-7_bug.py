import torch
import torch.nn.functional as F
from torch import nn, einsum
from einops import rearrange, repeat


class HaloAttention(nn.Module):
    """Blocked local self-attention with a halo of neighbouring pixels (feature map must tile by block)."""

    def __init__(self, *, dim, block_size, halo_size, dim_head=64, heads=8):
        super().__init__()
        assert halo_size > 0
        inner_dim = dim_head * heads
        self.block_size = block_size
        self.halo_size = halo_size
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.to_q = nn.Linear(dim, inner_dim, bias=False)
        self.to_kv = nn.Linear(dim, inner_dim * 2, bias=False)
        self.to_out = nn.Linear(inner_dim, dim)

    def forward(self, x):
        b, c, h, w, block, halo, heads = *x.shape, self.block_size, self.halo_size, self.heads
        assert h % block == 0 and w % block == 0
        window = block + 2 * halo

        q_inp = rearrange(x, "b c (h p1) (w p2) -> (b h w) (p1 p2) c", p1=block, p2=block)
        kv_inp = F.unfold(x, kernel_size=window, stride=block, padding=halo)
        kv_inp = rearrange(kv_inp, "b (c j) i -> (b i) j c", c=c)

        q = self.to_q(q_inp)
        k, v = self.to_kv(kv_inp).chunk(2, dim=-1)
        q, k, v = map(lambda t: rearrange(t, "b n (h d) -> (b h) n d", h=heads), (q, k, v))
        sim = einsum("b i d, b j d -> b i j", q * self.scale, k)

        # 1 where the halo window covers a real pixel, 0 where it hangs over the zero padding
        mask = torch.ones(1, 1, h, w, device=x.device)
        mask = F.unfold(mask, kernel_size=window, stride=block, padding=halo)
        mask = repeat(mask, "() j i -> (b i h) () j", b=b, h=heads)
        mask = mask.bool()  # BUG

        max_neg_value = -torch.finfo(sim.dtype).max
        sim = sim.masked_fill(mask, max_neg_value)
        attn = sim.softmax(dim=-1)

        out = einsum("b i j, b j d -> b i d", attn, v)
        out = rearrange(out, "(b h) n d -> b n (h d)", h=heads)
        out = self.to_out(out)
        return rearrange(
            out, "(b h w) (p1 p2) c -> b c (h p1) (w p2)", b=b, h=h // block, w=w // block, p1=block, p2=block
        )
