"""Unfolded ones masks read the right way round (silent)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class HaloAttention(nn.Module):
    def __init__(self, dim=32, block=4, halo=1, heads=4):
        super().__init__()
        self.block, self.halo, self.heads = block, halo, heads
        self.to_q = nn.Conv2d(dim, dim, 1)
        self.to_kv = nn.Conv2d(dim, 2 * dim, 1)

    def forward(self, x):
        b, c, h, w = x.shape
        win = self.block + 2 * self.halo
        q = F.unfold(self.to_q(x), kernel_size=self.block, stride=self.block)
        kv = F.unfold(self.to_kv(x), kernel_size=win, stride=self.block, padding=self.halo)
        k, v = kv.chunk(2, dim=1)
        sim = torch.einsum("bdi,bdj->bij", q, k)
        pad = F.unfold(torch.ones(1, 1, h, w, device=x.device), kernel_size=win, stride=self.block,
                       padding=self.halo)
        sim = sim.masked_fill(~pad.bool(), -torch.finfo(sim.dtype).max)
        return torch.einsum("bij,bdj->bdi", sim.softmax(-1), v)


def local_window_attention(x, window=5):
    """x: (N, T, D); each frame attends to the `window` frames around it."""
    n, t, d = x.shape
    k = F.unfold(x.transpose(1, 2)[..., None], kernel_size=(window, 1), padding=(window // 2, 0))
    k = k.view(n, d, window, t).permute(0, 3, 2, 1)  # (N, T, window, D)
    scores = torch.einsum("ntd,ntwd->ntw", x, k)
    real = F.unfold(torch.ones(1, 1, t, 1, device=x.device), kernel_size=(window, 1), padding=(window // 2, 0))
    real = real.transpose(1, 2)  # (1, T, window): 1 where the window covers a real frame
    scores = scores.masked_fill(real == 0, float("-inf"))
    return torch.einsum("ntw,ntwd->ntd", scores.softmax(-1), k)


def no_padding(x, kernel=3):
    ones = torch.ones(1, 1, x.size(-2), x.size(-1), device=x.device)
    return F.unfold(ones, kernel_size=kernel, stride=kernel)
