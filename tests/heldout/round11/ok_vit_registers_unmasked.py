"""ViT-S/16 style image encoder with register tokens (fixed 224x224 input, no padding)."""
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim, heads, mlp_ratio=4.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, int(dim * mlp_ratio)), nn.GELU(), nn.Linear(int(dim * mlp_ratio), dim))

    def forward(self, x, attn_mask=None):
        y = self.norm1(x)
        x = x + self.attn(y, y, y, attn_mask=attn_mask, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


class RegisterViT(nn.Module):
    def __init__(self, img=224, patch=16, dim=192, depth=4, heads=3, n_reg=4, n_classes=1000):
        super().__init__()
        self.patch_embed = nn.Conv2d(3, dim, patch, patch)
        n_patches = (img // patch) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.registers = nn.Parameter(torch.zeros(1, n_reg, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, n_patches + 1, dim) * 0.02)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, n_classes)
        self.n_reg = n_reg

    def forward(self, images):
        x = self.patch_embed(images).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.size(0), -1, -1), x], 1) + self.pos_embed
        x = torch.cat([x[:, :1], self.registers.expand(x.size(0), -1, -1), x[:, 1:]], 1)
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.norm(x[:, 0]))


if __name__ == "__main__":
    model = RegisterViT()
    print(model(torch.randn(2, 3, 224, 224)).shape)
    model.eval()
    with torch.no_grad():
        print(model(torch.randn(2, 3, 224, 224)).argmax(-1).shape)
