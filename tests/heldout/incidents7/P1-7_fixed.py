"""Blocked local self-attention with halos for images, in the style of
lucidrains/halonet-pytorch (queries are non-overlapping blocks, keys are padded halo windows)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class HaloAttention(nn.Module):
    def __init__(self, *, dim, block_size, halo_size, dim_head=16, heads=4):
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
        win = block + halo * 2

        q_inp = F.unfold(x, kernel_size=block, stride=block)
        n = q_inp.shape[-1]
        q_inp = q_inp.view(b, c, block * block, n).permute(0, 3, 2, 1).reshape(b * n, block * block, c)
        kv_inp = F.unfold(x, kernel_size=win, stride=block, padding=halo)
        kv_inp = kv_inp.view(b, c, win * win, n).permute(0, 3, 2, 1).reshape(b * n, win * win, c)

        q = self.to_q(q_inp)
        k, v = self.to_kv(kv_inp).chunk(2, dim=-1)
        q, k, v = (t.reshape(t.shape[0], t.shape[1], heads, -1).transpose(1, 2).reshape(t.shape[0] * heads, t.shape[1], -1) for t in (q, k, v))
        sim = torch.einsum("b i d, b j d -> b i j", q, k) * self.scale

        mask = torch.ones(1, 1, h, w, device=x.device)
        mask = F.unfold(mask, kernel_size=win, stride=block, padding=halo)
        mask = mask.transpose(1, 2).expand(b, -1, -1).reshape(b * n, 1, win * win)
        mask = mask.repeat_interleave(heads, dim=0).bool()
        max_neg_value = -torch.finfo(sim.dtype).max
        sim.masked_fill_(~mask, max_neg_value)

        attn = sim.softmax(dim=-1)
        out = torch.einsum("b i j, b j d -> b i d", attn, v)
        out = out.view(b * n, heads, block * block, -1).transpose(1, 2).reshape(b * n, block * block, -1)
        out = self.to_out(out)
        out = out.view(b, n, block * block, c).permute(0, 3, 2, 1).reshape(b, c * block * block, n)
        return F.fold(out, output_size=(h, w), kernel_size=block, stride=block)


class HaloNetStage(nn.Module):
    def __init__(self, dim=32, num_classes=10):
        super().__init__()
        self.stem = nn.Conv2d(3, dim, 3, padding=1)
        self.attn = HaloAttention(dim=dim, block_size=4, halo_size=1)
        self.norm = nn.BatchNorm2d(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, img):
        x = F.relu(self.stem(img))
        x = x + self.attn(self.norm(x))
        return self.head(x.mean(dim=(2, 3)))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = HaloNetStage()
    img = torch.randn(2, 3, 16, 16)
    labels = torch.tensor([3, 7])
    loss = F.cross_entropy(model(img), labels)
    loss.backward()
    print("loss", loss.item())
