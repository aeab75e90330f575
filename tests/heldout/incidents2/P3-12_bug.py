import torch
import torch.nn.functional as F
from torch import nn, einsum
from einops import rearrange


class Attention(nn.Module):
    def __init__(self, dim, heads=8, dim_head=64, dropout=0.0):
        super().__init__()
        inner_dim = dim_head * heads
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.to_qkv = nn.Linear(dim, inner_dim * 3, bias=False)
        self.to_out = nn.Sequential(nn.Linear(inner_dim, dim), nn.Dropout(dropout))

    def forward(self, x, mask=None):
        b, n, _, h = *x.shape, self.heads
        qkv = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = map(lambda t: rearrange(t, "b n (h d) -> b h n d", h=h), qkv)

        dots = einsum("b h i d, b h j d -> b h i j", q, k) * self.scale
        mask_value = -torch.finfo(dots.dtype).max

        if mask is not None:
            mask = F.pad(mask.flatten(1), (1, 0), value=True)
            assert mask.shape[-1] == dots.shape[-1], "mask has incorrect dimensions"
            mask = mask[:, None, :] * mask[:, :, None]  # BUG: (b, n, n) - no head axis
            dots.masked_fill_(~mask, mask_value)  # BUG: dots is (b, h, n, n)
            del mask

        attn = dots.softmax(dim=-1)
        out = einsum("b h i j, b h j d -> b h i d", attn, v)
        out = rearrange(out, "b h n d -> b n (h d)")
        return self.to_out(out)


class Transformer(nn.Module):
    def __init__(self, dim, depth, heads, dim_head, mlp_dim):
        super().__init__()
        self.layers = nn.ModuleList([])
        for _ in range(depth):
            self.layers.append(nn.ModuleList([
                nn.Sequential(nn.LayerNorm(dim)),
                Attention(dim, heads=heads, dim_head=dim_head),
                nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, mlp_dim), nn.GELU(), nn.Linear(mlp_dim, dim)),
            ]))

    def forward(self, x, mask=None):
        for norm, attn, ff in self.layers:
            x = attn(norm(x), mask=mask) + x
            x = ff(x) + x
        return x


if __name__ == "__main__":
    model = Transformer(dim=256, depth=2, heads=8, dim_head=32, mlp_dim=512)
    tokens = torch.randn(4, 65, 256)  # cls + 8x8 patches
    patch_mask = torch.ones(4, 8, 8, dtype=torch.bool)
    patch_mask[1, 6:] = False
    print(model(tokens, mask=patch_mask).shape)
