import torch
import torch.nn.functional as F
from torch import nn


class HaloAttention(nn.Module):
    def __init__(self, *, dim, block_size, halo_size, dim_head=16, heads=4):
        super().__init__()
        assert halo_size > 0, "halo size must be greater than 0"
        inner_dim = dim_head * heads
        self.block_size = block_size
        self.halo_size = halo_size
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.to_q = nn.Linear(dim, inner_dim, bias=False)
        self.to_kv = nn.Linear(dim, inner_dim * 2, bias=False)
        self.to_out = nn.Linear(inner_dim, dim)

    def forward(self, x):
        b, c, h, w = x.shape
        block, halo, heads = self.block_size, self.halo_size, self.heads
        assert h % block == 0 and w % block == 0, "fmap dimensions must be divisible by the block size"
        win = block + halo * 2

        # queries: non-overlapping blocks, keys/values: the same blocks plus a halo
        q_inp = x.unfold(2, block, block).unfold(3, block, block)
        q_inp = q_inp.permute(0, 2, 3, 4, 5, 1).reshape(-1, block * block, c)
        kv_inp = F.unfold(x, kernel_size=win, stride=block, padding=halo)
        n = kv_inp.shape[-1]
        kv_inp = kv_inp.view(b, c, win * win, n).permute(0, 3, 2, 1).reshape(b * n, win * win, c)

        q = self.to_q(q_inp)
        k, v = self.to_kv(kv_inp).chunk(2, dim=-1)
        q, k, v = (t.reshape(t.shape[0], t.shape[1], heads, -1).transpose(1, 2) for t in (q, k, v))
        sim = (q @ k.transpose(-1, -2)) * self.scale

        # mask out padding (in the paper, they claim to not need masks, but what about padding?)
        mask = torch.ones(1, 1, h, w, device=x.device)
        mask = F.unfold(mask, kernel_size=win, stride=block, padding=halo)
        mask = mask.transpose(1, 2).repeat(b, 1, 1).reshape(b * n, 1, 1, win * win)
        mask = ~mask.bool()
        max_neg_value = -torch.finfo(sim.dtype).max
        sim.masked_fill_(mask, max_neg_value)

        attn = sim.softmax(dim=-1)
        out = (attn @ v).transpose(1, 2).reshape(b * n, block * block, -1)
        out = self.to_out(out)
        out = out.view(b, h // block, w // block, block, block, c)
        out = out.permute(0, 5, 1, 3, 2, 4).reshape(b, c, h, w)
        return out, attn


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = HaloAttention(dim=8, block_size=4, halo_size=1, dim_head=4, heads=2)
    fmap = torch.randn(1, 8, 8, 8)
    out, attn = layer(fmap)
    print(out.shape)
    # block 0 sits in the top-left corner: part of its halo is zero padding
    padded = F.unfold(torch.ones(1, 1, 8, 8), kernel_size=6, stride=4, padding=1)[0, :, 0] == 0
    print("attention on zero padding (block 0):", attn[0][..., padded].sum(-1).mean().item())
