import torch
from torch import nn, einsum
import torch.nn.functional as F

# helpers

def blocks_to_batch(x, block):
    # 'b c (h p1) (w p2) -> (b h w) (p1 p2) c'
    b, c, h, w = x.shape
    x = x.reshape(b, c, h // block, block, w // block, block)
    return x.permute(0, 2, 4, 3, 5, 1).reshape(-1, block * block, c)

def split_heads(t, heads):
    # 'b n (h d) -> (b h) n d'
    b, n, hd = t.shape
    return t.reshape(b, n, heads, hd // heads).transpose(1, 2).reshape(b * heads, n, hd // heads)

# main class

class HaloAttention(nn.Module):
    def __init__(self, *, dim, block_size, halo_size, dim_head = 64, heads = 8):
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
        b, c, h, w, block, halo, heads, device = *x.shape, self.block_size, self.halo_size, self.heads, x.device
        assert h % block == 0 and w % block == 0, 'fmap dimensions must be divisible by the block size'

        # get block neighborhoods, and prepare a halo-ed version (blocks with padding) for deriving key values

        q_inp = blocks_to_batch(x, block)

        kv_inp = F.unfold(x, kernel_size = block + halo * 2, stride = block, padding = halo)
        kv_inp = kv_inp.reshape(b, c, -1, kv_inp.shape[-1]).permute(0, 3, 2, 1).reshape(-1, (block + halo * 2) ** 2, c)

        # derive queries, keys, values

        q = self.to_q(q_inp)
        k, v = self.to_kv(kv_inp).chunk(2, dim = -1)
        q, k, v = map(lambda t: split_heads(t, heads), (q, k, v))
        q = q * self.scale

        sim = einsum('b i d, b j d -> b i j', q, k)

        # mask out padding (in the paper, they claim to not need masks, but what about padding?)

        mask = torch.ones(1, 1, h, w, device = device)
        mask = F.unfold(mask, kernel_size = block + (halo * 2), stride = block, padding = halo)
        mask = mask[0].t().repeat_interleave(heads, dim = 0).unsqueeze(0).repeat(b, 1, 1).reshape(-1, 1, mask.shape[1])
        mask = ~mask.bool()  # BUG

        max_neg_value = -torch.finfo(sim.dtype).max
        sim.masked_fill_(mask, max_neg_value)

        attn = sim.softmax(dim = -1)
        self.last_attn, self.last_mask = attn, mask

        out = einsum('b i j, b j d -> b i d', attn, v)

        # merge and combine heads, then merge blocks back to original feature map

        out = out.reshape(-1, heads, out.shape[1], out.shape[2]).transpose(1, 2).flatten(2)
        out = self.to_out(out)
        out = out.reshape(b, h // block, w // block, block, block, -1).permute(0, 5, 1, 3, 2, 4)
        return out.reshape(b, -1, h, w)


if __name__ == '__main__':
    torch.manual_seed(0)
    attn = HaloAttention(dim = 4, block_size = 2, halo_size = 1, dim_head = 4, heads = 2)
    fmap = torch.randn(1, 4, 4, 4)
    out = attn(fmap)
    pad = torch.ones(1, 1, 4, 4)
    pad = F.unfold(pad, kernel_size = 4, stride = 2, padding = 1)[0].t().repeat_interleave(2, dim = 0)
    on_pad = (attn.last_attn * (pad == 0).float().unsqueeze(1)).sum(-1).max().item()
    print(f'attention mass on zero-padded halo positions: {on_pad:.3f}')
