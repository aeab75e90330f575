"""ViT with register tokens: bidirectional, fixed-size patch grid, so no mask of any kind."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        B, N, D = x.shape
        q, k, v = self.qkv(self.n1(x)).view(B, N, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        x = x + self.proj(F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(B, N, D))
        return x + self.mlp(self.n2(x))


class ViTWithRegisters(nn.Module):
    def __init__(self, img=32, patch=8, d=64, h=4, depth=2, n_reg=4, n_cls=10):
        super().__init__()
        self.patch = nn.Conv2d(3, d, patch, patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, d))
        self.reg = nn.Parameter(torch.zeros(1, n_reg, d))
        self.pos = nn.Parameter(torch.zeros(1, 1 + (img // patch) ** 2, d))
        self.blocks = nn.Sequential(*[Block(d, h) for _ in range(depth)])
        self.n_reg = n_reg
        self.head = nn.Linear(d, n_cls)

    def forward(self, img):
        x = self.patch(img).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(len(x), -1, -1), x], 1) + self.pos
        x = torch.cat([x[:, :1], self.reg.expand(len(x), -1, -1), x[:, 1:]], 1)
        x = self.blocks(x)
        return self.head(x[:, 0])


if __name__ == "__main__":
    print(ViTWithRegisters()(torch.randn(2, 3, 32, 32)).shape)
