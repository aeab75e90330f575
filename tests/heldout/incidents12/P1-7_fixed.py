import torch
import torch.nn.functional as F
from torch import nn


class HaloAttention(nn.Module):
    def __init__(self, *, dim, block_size, halo_size, dim_head=16, heads=2):
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
        self.last_attn = None

    def forward(self, x):
        b, c, h, w = x.shape
        block, halo, heads = self.block_size, self.halo_size, self.heads
        assert h % block == 0 and w % block == 0, "fmap dimensions must be divisible by the block size"
        kw = block + halo * 2
        q_inp = x.reshape(b, c, h // block, block, w // block, block).permute(0, 2, 4, 3, 5, 1)
        q_inp = q_inp.reshape(-1, block * block, c)
        kv_inp = F.unfold(x, kernel_size=kw, stride=block, padding=halo)
        n = kv_inp.shape[-1]
        kv_inp = kv_inp.view(b, c, kw * kw, n).permute(0, 3, 2, 1).reshape(-1, kw * kw, c)
        q = self.to_q(q_inp)
        k, v = self.to_kv(kv_inp).chunk(2, dim=-1)
        q, k, v = (t.reshape(t.shape[0], t.shape[1], heads, -1).transpose(1, 2).reshape(-1, t.shape[1], t.shape[2] // heads) for t in (q, k, v))
        sim = torch.einsum("b i d, b j d -> b i j", q, k) * self.scale
        mask = torch.ones(1, 1, h, w, device=x.device)
        mask = F.unfold(mask, kernel_size=kw, stride=block, padding=halo)
        mask = mask.permute(0, 2, 1).expand(b, -1, -1).reshape(-1, 1, kw * kw)
        mask = mask.repeat_interleave(heads, dim=0)
        mask = ~mask.bool()
        max_neg_value = -torch.finfo(sim.dtype).max
        sim.masked_fill_(mask, max_neg_value)
        attn = sim.softmax(dim=-1)
        self.last_attn = attn
        out = torch.einsum("b i j, b j d -> b i d", attn, v)
        out = out.reshape(-1, heads, block * block, out.shape[-1]).transpose(1, 2).reshape(-1, block * block, heads * out.shape[-1])
        out = self.to_out(out)
        out = out.reshape(b, h // block, w // block, block, block, c).permute(0, 5, 1, 3, 2, 4)
        return out.reshape(b, c, h, w)


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = HaloAttention(dim=8, block_size=4, halo_size=1, dim_head=8, heads=2).eval()
    fmap = torch.randn(2, 8, 8, 8)
    with torch.no_grad():
        out = attn(fmap)
    valid = F.unfold(torch.ones(1, 1, 8, 8), kernel_size=6, stride=4, padding=1).permute(0, 2, 1)
    valid = valid.expand(2, -1, -1).reshape(-1, 1, 36).repeat_interleave(2, dim=0).bool()
    mass = attn.last_attn.masked_fill(valid, 0.0).sum(-1).mean().item()
    print(f"out {tuple(out.shape)}; mean attention mass on zero-padded halo positions = {mass:.3f}")
