import torch
import torch.nn.functional as F
from torch import nn, einsum


class HaloAttention(nn.Module):
    def __init__(self, *, dim, block_size, halo_size, dim_head=8, heads=2):
        super().__init__()
        assert halo_size > 0, 'halo size must be greater than 0'
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
        b, c, h, w, block, halo, heads = *x.shape, self.block_size, self.halo_size, self.heads
        assert h % block == 0 and w % block == 0, 'fmap dimensions must be divisible by the block size'
        assert c == self.dim, f'channels for input ({c}) does not equal to the correct dimension ({self.dim})'
        nh, nw, win = h // block, w // block, block + halo * 2

        q_inp = x.view(b, c, nh, block, nw, block).permute(0, 2, 4, 3, 5, 1).reshape(b * nh * nw, block * block, c)
        kv_inp = F.unfold(x, kernel_size=win, stride=block, padding=halo)
        kv_inp = kv_inp.view(b, c, win * win, -1).permute(0, 3, 2, 1).reshape(-1, win * win, c)

        q = self.to_q(q_inp)
        k, v = self.to_kv(kv_inp).chunk(2, dim=-1)
        q, k, v = (t.view(t.shape[0], t.shape[1], heads, -1).transpose(1, 2) for t in (q, k, v))
        q = q * self.scale
        sim = einsum('b h i d, b h j d -> b h i j', q, k)

        mask = torch.ones(1, 1, h, w, device=x.device)
        mask = F.unfold(mask, kernel_size=win, stride=block, padding=halo)
        mask = mask.permute(0, 2, 1).repeat(b, 1, 1)
        mask = ~mask.bool()  # BUG
        mask = mask.reshape(-1, 1, 1, win * win)

        max_neg_value = -torch.finfo(sim.dtype).max
        sim.masked_fill_(mask, max_neg_value)
        attn = sim.softmax(dim=-1)
        self.last_attn = attn

        out = einsum('b h i j, b h j d -> b h i d', attn, v)
        out = out.transpose(1, 2).reshape(out.shape[0], block * block, -1)
        out = self.to_out(out)
        return out.view(b, nh, nw, block, block, c).permute(0, 5, 1, 3, 2, 4).reshape(b, c, h, w)


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = HaloAttention(dim=8, block_size=2, halo_size=1)
    fmaps = torch.randn(1, 8, 4, 4)
    out = attn(fmaps)
    pad = F.unfold(torch.ones(1, 1, 4, 4), kernel_size=4, stride=2, padding=1)[0].t() == 0
    on_pad = attn.last_attn.masked_select(pad[:, None, None, :].expand_as(attn.last_attn)).sum()
    print(f"attention mass on zero-padded halo: {on_pad.item() / attn.last_attn[..., 0].numel():.4f} per query")
    assert out.shape == fmaps.shape
