# EXPECT: bug the halo mask from F.unfold of a ones image is True on valid pixels and False on zero padding, but it is used directly in masked_fill, so real neighbourhood pixels are masked and the zero-padded halo is attended.
"""Blocked local self-attention with halos for images in the style of lucidrains/halonet-pytorch (HaloAttention)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RelPosEmb(nn.Module):
    def __init__(self, block_size, rel_size, dim_head):
        super().__init__()
        scale = dim_head ** -0.5
        self.block_size = block_size
        self.rel_height = nn.Parameter(torch.randn(rel_size * 2 - 1, dim_head) * scale)
        self.rel_width = nn.Parameter(torch.randn(rel_size * 2 - 1, dim_head) * scale)
        self.rel_size = rel_size

    def forward(self, q):
        n = q.size(1)
        bias_h = q @ self.rel_height.t()
        bias_w = q @ self.rel_width.t()
        return (bias_h.mean(-1, keepdim=True) + bias_w.mean(-1, keepdim=True)).expand(-1, n, self.rel_size * self.rel_size)


class HaloAttention(nn.Module):
    def __init__(self, dim, block_size, halo_size, dim_head=8, heads=2, dropout=0.1):
        super().__init__()
        self.dim = dim
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.block_size = block_size
        self.halo_size = halo_size
        inner_dim = dim_head * heads
        self.rel_pos_emb = RelPosEmb(block_size, block_size + halo_size * 2, dim_head)
        self.to_q = nn.Linear(dim, inner_dim, bias=False)
        self.to_kv = nn.Linear(dim, inner_dim * 2, bias=False)
        self.to_out = nn.Linear(inner_dim, dim)
        self.attn_drop = nn.Dropout(dropout)

    def forward(self, x):
        b, c, h, w = x.shape
        block, halo, heads = self.block_size, self.halo_size, self.heads
        nb = (h // block) * (w // block)
        q_inp = x.unfold(2, block, block).unfold(3, block, block)
        q_inp = q_inp.permute(0, 2, 3, 4, 5, 1).reshape(b * nb, block * block, c)
        win = block + halo * 2
        kv_inp = F.unfold(x, kernel_size=win, stride=block, padding=halo)
        kv_inp = kv_inp.view(b, c, win * win, nb).permute(0, 3, 2, 1).reshape(b * nb, win * win, c)
        q = self.to_q(q_inp)
        k, v = self.to_kv(kv_inp).chunk(2, dim=-1)

        def split_heads(t):
            bn, n, _ = t.shape
            return t.view(bn, n, heads, -1).transpose(1, 2).reshape(bn * heads, n, -1)

        q, k, v = map(split_heads, (q, k, v))
        q = q * self.scale
        sim = q @ k.transpose(-1, -2)
        sim = sim + self.rel_pos_emb(q)
        mask = torch.ones(1, 1, h, w)
        mask = F.unfold(mask, kernel_size=win, stride=block, padding=halo)
        mask = mask.transpose(1, 2).reshape(nb, 1, win * win).repeat(b, 1, 1)
        mask = mask.repeat_interleave(heads, dim=0)
        mask = mask.bool()
        max_neg_value = -torch.finfo(sim.dtype).max
        sim = sim.masked_fill(mask, max_neg_value)  # BUG-SITE
        attn = self.attn_drop(sim.softmax(dim=-1))
        out = attn @ v
        out = out.view(b * nb, heads, block * block, -1).transpose(1, 2).reshape(b * nb, block * block, -1)
        out = self.to_out(out)
        out = out.view(b, h // block, w // block, block, block, c).permute(0, 5, 1, 3, 2, 4).reshape(b, c, h, w)
        return out


class HaloNetTiny(nn.Module):
    def __init__(self, num_classes=4, dim=16):
        super().__init__()
        self.stem = nn.Conv2d(3, dim, 3, padding=1)
        self.attn = HaloAttention(dim, block_size=4, halo_size=1)
        self.norm = nn.BatchNorm2d(dim)
        self.head = nn.Linear(dim, num_classes)
        self.drop = nn.Dropout(0.1)

    def forward(self, x):
        x = F.relu(self.stem(x))
        x = x + self.attn(x)
        x = F.relu(self.norm(x))
        return self.head(self.drop(x.mean((2, 3))))


def run():
    torch.manual_seed(0)
    model = HaloNetTiny()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    imgs = torch.randn(2, 3, 8, 8)
    labels = torch.tensor([1, 3])
    model.train()
    loss = F.cross_entropy(model(imgs), labels)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        logits = model(torch.randn(3, 3, 8, 8))
    return [loss.detach(), *grads, logits]
