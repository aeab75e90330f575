import torch
import torch.nn.functional as F
from torch import nn


class HaloAttention(nn.Module):
    def __init__(self, *, dim, block_size, halo_size, dim_head=4, heads=2):
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
        b, c, h, w = x.shape
        block, halo, heads = self.block_size, self.halo_size, self.heads
        assert h % block == 0 and w % block == 0, "fmap dimensions must be divisible by the block size"
        nh, nw, win = h // block, w // block, block + 2 * halo

        # queries: non-overlapping blocks
        q_inp = x.view(b, c, nh, block, nw, block).permute(0, 2, 4, 3, 5, 1).reshape(b * nh * nw, block * block, c)
        # keys / values: blocks plus halo, zero padded at the borders
        kv_inp = F.unfold(x, kernel_size=win, stride=block, padding=halo)
        kv_inp = kv_inp.view(b, c, win * win, nh * nw).permute(0, 3, 2, 1).reshape(b * nh * nw, win * win, c)

        q = self.to_q(q_inp)
        k, v = self.to_kv(kv_inp).chunk(2, dim=-1)
        q, k, v = (t.reshape(t.shape[0], t.shape[1], heads, -1).transpose(1, 2).reshape(-1, t.shape[1], t.shape[2] // heads)
                   for t in (q, k, v))

        sim = torch.einsum("b i d, b j d -> b i j", q, k) * self.scale

        # mask out padding (in the paper, they claim to not need masks, but what about padding?)
        mask = torch.ones(1, 1, h, w, device=x.device)
        mask = F.unfold(mask, kernel_size=win, stride=block, padding=halo)  # (1, win*win, blocks)
        mask = mask[0].t().reshape(1, nh * nw, 1, 1, win * win)
        mask = mask.expand(b, -1, heads, -1, -1).reshape(b * nh * nw * heads, 1, win * win)
        mask = mask.bool()  # BUG: True here marks real (non-padding) positions

        max_neg_value = -torch.finfo(sim.dtype).max
        sim.masked_fill_(mask, max_neg_value)  # BUG: fills the valid positions instead of the padding

        attn = sim.softmax(dim=-1)
        out = torch.einsum("b i j, b j d -> b i d", attn, v)
        out = out.reshape(b * nh * nw, heads, block * block, -1).transpose(1, 2).reshape(b * nh * nw, block * block, -1)
        out = self.to_out(out)
        out = out.view(b, nh, nw, block, block, c).permute(0, 5, 1, 3, 2, 4).reshape(b, c, h, w)
        return out


def run():
    attn = HaloAttention(dim=8, block_size=2, halo_size=1, dim_head=4, heads=2)
    fmap = torch.randn(2, 8, 4, 4)
    return attn(fmap)
