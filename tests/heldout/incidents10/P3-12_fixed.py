"""vit_pytorch-style Attention with an optional patch mask (True = keep).
The pairwise mask is built per sample but never given a head axis; torch
raises on the bug (RuntimeError: size mismatch in masked_fill_)."""
import torch
import torch.nn.functional as F
from torch import nn, einsum


class Attention(nn.Module):
    def __init__(self, dim, heads=8, dim_head=8):
        super().__init__()
        inner_dim = dim_head * heads
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.to_qkv = nn.Linear(dim, inner_dim * 3, bias=False)
        self.to_out = nn.Linear(inner_dim, dim)

    def forward(self, x, mask=None):
        b, n, _ = x.shape
        h = self.heads
        q, k, v = (t.reshape(b, n, h, -1).transpose(1, 2) for t in self.to_qkv(x).chunk(3, dim=-1))
        dots = einsum("b h i d, b h j d -> b h i j", q, k) * self.scale
        mask_value = -torch.finfo(dots.dtype).max
        if mask is not None:
            mask = F.pad(mask.flatten(1), (1, 0), value=True)
            assert mask.shape[-1] == dots.shape[-1], "mask has incorrect dimensions"
            mask = mask[:, None, :, None] * mask[:, None, None, :]
            dots.masked_fill_(~mask, mask_value)
        attn = dots.softmax(dim=-1)
        out = einsum("b h i j, b h j d -> b h i d", attn, v)
        return self.to_out(out.transpose(1, 2).reshape(b, n, -1))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = Attention(dim=16, heads=8)
    x = torch.randn(2, 7, 16)  # cls + 6 patches
    mask = torch.tensor([[True] * 6, [True] * 4 + [False] * 2])
    x2 = x.clone(); x2[1, 5:] = torch.randn(2, 16) * 10
    a, b = attn(x, mask), attn(x2, mask)
    print("real-patch change from masked patch content:", (a[1, :5] - b[1, :5]).abs().max().item())
