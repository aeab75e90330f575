import torch
import torch.nn.functional as F
from torch import nn


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
        q, k, v = (t.reshape(b, n, h, -1).transpose(1, 2) for t in self.to_qkv(x).chunk(3, dim=-1))
        dots = torch.einsum("bhid,bhjd->bhij", q, k) * self.scale
        mask_value = -torch.finfo(dots.dtype).max

        if mask is not None:
            mask = F.pad(mask.flatten(1), (1, 0), value=True)  # keep the cls token
            assert mask.shape[-1] == dots.shape[-1], "mask has incorrect dimensions"
            mask = mask[:, None, :] * mask[:, :, None]  # BUG
            dots.masked_fill_(~mask, mask_value)

        attn = dots.softmax(dim=-1)
        out = torch.einsum("bhij,bhjd->bhid", attn, v)
        out = out.transpose(1, 2).reshape(b, n, -1)
        return self.to_out(out)


class ViTEncoder(nn.Module):
    def __init__(self, dim=32, depth=2, heads=4, dim_head=8):
        super().__init__()
        self.cls_token = nn.Parameter(torch.randn(1, 1, dim))
        self.layers = nn.ModuleList(Attention(dim, heads, dim_head) for _ in range(depth))

    def forward(self, patches, mask=None):
        x = torch.cat([self.cls_token.expand(patches.size(0), -1, -1), patches], dim=1)
        for attn in self.layers:
            x = x + attn(x, mask=mask)
        return x[:, 0]


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = ViTEncoder()
    patches = torch.randn(2, 9, 32)
    mask = torch.ones(2, 9, dtype=torch.bool)
    mask[1, 6:] = False  # last patches of image 1 are padding
    print(enc(patches, mask=mask).shape)
