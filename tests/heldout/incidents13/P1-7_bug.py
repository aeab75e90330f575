import torch
import torch.nn.functional as F
from torch import nn


class HaloAttention(nn.Module):
    """Blocked local self-attention: each block of pixels attends to the block plus a halo."""

    def __init__(self, dim, block_size, halo_size, dim_head=8, heads=2):
        super().__init__()
        self.block_size = block_size
        self.halo_size = halo_size
        self.heads = heads
        self.scale = dim_head ** -0.5
        inner_dim = dim_head * heads
        self.to_q = nn.Linear(dim, inner_dim, bias=False)
        self.to_kv = nn.Linear(dim, inner_dim * 2, bias=False)
        self.to_out = nn.Linear(inner_dim, dim)

    def forward(self, x, return_attn=False):
        b, c, h, w = x.shape
        block, halo, heads = self.block_size, self.halo_size, self.heads
        win = block + 2 * halo
        q_inp = x.reshape(b, c, h // block, block, w // block, block).permute(0, 2, 4, 3, 5, 1)
        q_inp = q_inp.reshape(-1, block * block, c)
        kv_inp = F.unfold(x, kernel_size=win, stride=block, padding=halo)
        kv_inp = kv_inp.view(b, c, win * win, -1).permute(0, 3, 2, 1).reshape(-1, win * win, c)
        q = self.to_q(q_inp)
        k, v = self.to_kv(kv_inp).chunk(2, dim=-1)
        split = lambda t: t.view(t.shape[0], t.shape[1], heads, -1).transpose(1, 2)
        q, k, v = map(split, (q, k, v))
        sim = (q @ k.transpose(-1, -2)) * self.scale

        mask = torch.ones(1, 1, h, w, device=x.device)
        mask = F.unfold(mask, kernel_size=win, stride=block, padding=halo)
        mask = mask.view(1, win * win, -1).permute(0, 2, 1).repeat(b, 1, 1).reshape(-1, 1, 1, win * win)
        mask = mask.bool()  # BUG
        max_neg_value = -torch.finfo(sim.dtype).max
        sim = sim.masked_fill(mask, max_neg_value)
        attn = sim.softmax(dim=-1)

        out = (attn @ v).transpose(1, 2).reshape(attn.shape[0], block * block, -1)
        out = self.to_out(out)
        out = out.view(b, h // block, w // block, block, block, c).permute(0, 5, 1, 3, 2, 4).reshape(b, c, h, w)
        return (out, attn, mask) if return_attn else out


if __name__ == "__main__":
    torch.manual_seed(1)
    layer = HaloAttention(dim=8, block_size=4, halo_size=1)
    img = torch.randn(1, 8, 8, 8)
    with torch.no_grad():
        out, attn, mask = layer(img, return_attn=True)
        ones = torch.ones(1, 1, 8, 8)
        outside = F.unfold(ones, kernel_size=6, stride=4, padding=1).view(1, 36, -1).permute(0, 2, 1).reshape(-1, 1, 1, 36) == 0
        mass = (attn * outside).sum(-1).mean().item()
    print(f"mean attention mass on zero-padded halo positions = {mass:.4f}")
