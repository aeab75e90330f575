import torch
import torch.nn.functional as F
from torch import nn, einsum


def to(x):
    return {"device": x.device, "dtype": x.dtype}


def pair(x):
    return (x, x) if not isinstance(x, tuple) else x


class HaloAttention(nn.Module):
    def __init__(self, *, dim, block_size, halo_size, dim_head=8, heads=2):
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

    def _padding_mask(self, b, h, w, device):
        block, halo, heads = self.block_size, self.halo_size, self.heads
        mask = torch.ones(1, 1, h, w, device=device)
        mask = F.unfold(mask, kernel_size=block + (halo * 2), stride=block, padding=halo)
        num_windows = mask.shape[-1]
        mask = mask.permute(0, 2, 1).reshape(1, num_windows, 1, -1)
        mask = mask.expand(b, num_windows, heads, -1).reshape(b * num_windows * heads, 1, -1)
        return mask

    def forward(self, x):
        b, c, h, w, block, halo, heads, device = *x.shape, self.block_size, self.halo_size, self.heads, x.device
        assert h % block == 0 and w % block == 0, "fmap dimensions must be divisible by the block size"
        assert c == self.dim, f"channels for input ({c}) does not equal to the correct dimension ({self.dim})"

        q_inp = x.unfold(2, block, block).unfold(3, block, block)
        q_inp = q_inp.permute(0, 2, 3, 4, 5, 1).reshape(b * (h // block) * (w // block), block * block, c)

        kv_inp = F.unfold(x, kernel_size=block + halo * 2, stride=block, padding=halo)
        kv_inp = kv_inp.view(b, c, -1, kv_inp.shape[-1]).permute(0, 3, 2, 1).reshape(-1, (block + 2 * halo) ** 2, c)

        q = self.to_q(q_inp)
        k, v = self.to_kv(kv_inp).chunk(2, dim=-1)
        q, k, v = map(lambda t: t.view(t.shape[0], t.shape[1], heads, -1).transpose(1, 2).reshape(-1, t.shape[1], t.shape[-1] // heads), (q, k, v))
        q = q * self.scale

        sim = einsum("b i d, b j d -> b i j", q, k)

        mask = self._padding_mask(b, h, w, device)
        mask = ~mask.bool()
        max_neg_value = -torch.finfo(sim.dtype).max
        sim.masked_fill_(mask, max_neg_value)

        attn = sim.softmax(dim=-1)
        self.last_attn = (attn, mask)
        out = einsum("b i j, b j d -> b i d", attn, v)
        out = out.view(-1, heads, block * block, out.shape[-1]).transpose(1, 2).reshape(-1, block * block, heads * out.shape[-1])
        out = self.to_out(out)
        out = out.view(b, h // block, w // block, block, block, c).permute(0, 5, 1, 3, 2, 4).reshape(b, c, h, w)
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = HaloAttention(dim=8, block_size=2, halo_size=1, dim_head=4, heads=2)
    fmap = torch.randn(1, 8, 4, 4)
    attn(fmap)
    weights, _ = attn.last_attn
    ones = torch.ones(1, 1, 4, 4)
    valid = F.unfold(ones, kernel_size=4, stride=2, padding=1).permute(0, 2, 1).reshape(-1, 1, 16)
    valid = valid.expand(-1, 2, -1).reshape(-1, 1, 16)
    on_pad = (weights * (valid == 0)).sum(-1).mean().item()
    print(f"mean attention mass on zero-padded halo positions: {on_pad:.3f}")
