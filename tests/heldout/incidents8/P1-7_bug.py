import torch
import torch.nn.functional as F
from torch import nn, einsum


def rel_to_abs(x):
    b, l, m = x.shape
    r = (m + 1) // 2
    col_pad = torch.zeros((b, l, 1), device=x.device, dtype=x.dtype)
    x = torch.cat((x, col_pad), dim=2)
    flat_x = x.reshape(b, l * (m + 1))
    flat_pad = torch.zeros((b, m - l), device=x.device, dtype=x.dtype)
    flat_x = torch.cat((flat_x, flat_pad), dim=1)
    final_x = flat_x.reshape(b, l + 1, m)
    return final_x[:, :l, -r:]


class HaloAttention(nn.Module):
    def __init__(self, *, dim, block_size, halo_size, dim_head=16, heads=4):
        super().__init__()
        self.block_size = block_size
        self.halo_size = halo_size
        self.heads = heads
        self.scale = dim_head ** -0.5
        inner_dim = dim_head * heads
        self.to_q = nn.Linear(dim, inner_dim, bias=False)
        self.to_kv = nn.Linear(dim, inner_dim * 2, bias=False)
        self.to_out = nn.Linear(inner_dim, dim)

    def forward(self, x):
        b, c, h, w, block, halo, heads = *x.shape, self.block_size, self.halo_size, self.heads
        q_inp = x.unfold(2, block, block).unfold(3, block, block)
        q_inp = q_inp.permute(0, 2, 3, 4, 5, 1).reshape(-1, block * block, c)
        kv_inp = F.unfold(x, kernel_size=block + halo * 2, stride=block, padding=halo)
        kv_inp = kv_inp.view(b, c, -1, kv_inp.shape[-1]).permute(0, 3, 2, 1).reshape(-1, (block + 2 * halo) ** 2, c)

        q = self.to_q(q_inp)
        k, v = self.to_kv(kv_inp).chunk(2, dim=-1)
        q, k, v = (t.view(t.shape[0], t.shape[1], heads, -1).transpose(1, 2).reshape(-1, t.shape[1], t.shape[2] // heads) for t in (q, k, v))
        q = q * self.scale
        sim = einsum("b i d, b j d -> b i j", q, k)

        mask = torch.ones(1, 1, h, w, device=x.device)
        mask = F.unfold(mask, kernel_size=block + (halo * 2), stride=block, padding=halo)
        mask = mask.permute(0, 2, 1).repeat(b, 1, 1).reshape(-1, (block + 2 * halo) ** 2)
        mask = mask.bool()  # BUG
        mask = mask[:, None, :].repeat_interleave(heads, dim=0)

        max_neg_value = -torch.finfo(sim.dtype).max
        sim.masked_fill_(mask, max_neg_value)  # BUG

        attn = sim.softmax(dim=-1)
        out = einsum("b i j, b j d -> b i d", attn, v)
        out = out.view(-1, heads, out.shape[1], out.shape[2]).transpose(1, 2).reshape(-1, block * block, q.shape[-1] * heads)
        out = self.to_out(out)
        out = out.view(b, h // block, w // block, block, block, c).permute(0, 5, 1, 3, 2, 4)
        return out.reshape(b, c, h, w)


if __name__ == "__main__":
    attn = HaloAttention(dim=32, block_size=4, halo_size=1)
    fmap = torch.randn(2, 32, 8, 8)
    out = attn(fmap)
    print(out.shape, torch.isnan(out).any().item())
