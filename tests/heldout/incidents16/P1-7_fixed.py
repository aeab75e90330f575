import torch
from torch import nn, einsum
import torch.nn.functional as F

# helpers

def exists(val):
    return val is not None

def default(val, d):
    return val if exists(val) else d

# main class

class HaloAttention(nn.Module):
    def __init__(self, *, dim, block_size, halo_size, dim_head = 16, heads = 4):
        super().__init__()
        assert halo_size > 0, 'halo size must be greater than 0'

        self.dim = dim
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.block_size = block_size
        self.halo_size = halo_size
        inner_dim = dim_head * heads

        self.to_q  = nn.Linear(dim, inner_dim, bias = False)
        self.to_kv = nn.Linear(dim, inner_dim * 2, bias = False)
        self.to_out = nn.Linear(inner_dim, dim)

    def forward(self, x):
        b, c, h, w, block, halo, heads = *x.shape, self.block_size, self.halo_size, self.heads
        assert h % block == 0 and w % block == 0, 'fmap dimensions must be divisible by the block size'
        device = x.device
        win = block + halo * 2

        # queries: non-overlapping blocks -> ((b * blocks), block * block, c)
        q_inp = F.unfold(x, kernel_size = block, stride = block)
        num_blocks = q_inp.shape[-1]
        q_inp = q_inp.view(b, c, block * block, num_blocks).permute(0, 3, 2, 1).reshape(-1, block * block, c)

        # keys / values: blocks with a halo around them, zero padded at the borders
        kv_inp = F.unfold(x, kernel_size = win, stride = block, padding = halo)
        kv_inp = kv_inp.view(b, c, win * win, num_blocks).permute(0, 3, 2, 1).reshape(-1, win * win, c)

        q = self.to_q(q_inp)
        k, v = self.to_kv(kv_inp).chunk(2, dim = -1)
        split = lambda t: t.view(t.shape[0], t.shape[1], heads, -1).transpose(1, 2)
        q, k, v = map(split, (q, k, v))

        q = q * self.scale
        sim = einsum('b h i d, b h j d -> b h i j', q, k)

        # mask out padding: unfolding ones gives 1 where the halo sees a real pixel
        mask = torch.ones(1, 1, h, w, device = device)
        mask = F.unfold(mask, kernel_size = win, stride = block, padding = halo)
        mask = mask.view(win * win, num_blocks).t().repeat(b, 1)
        mask = ~mask.bool()

        max_neg_value = -torch.finfo(sim.dtype).max
        sim.masked_fill_(mask[:, None, None, :], max_neg_value)

        attn = sim.softmax(dim = -1)
        out = einsum('b h i j, b h j d -> b h i d', attn, v)

        # merge heads and fold the blocks back into the feature map
        out = out.transpose(1, 2).reshape(out.shape[0], block * block, -1)
        out = self.to_out(out)
        out = out.view(b, num_blocks, block * block, c).permute(0, 3, 2, 1).reshape(b, c * block * block, num_blocks)
        return F.fold(out, output_size = (h, w), kernel_size = block, stride = block)
