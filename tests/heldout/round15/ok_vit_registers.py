"""ViT with register tokens for satellite tile embeddings. All tiles are the same size, so every
token is real and no attention mask is needed."""
import torch
from torch import nn


class ViTWithRegisters(nn.Module):
    def __init__(self, img=32, patch=8, ch=4, dim=64, heads=4, depth=2, n_registers=4):
        super().__init__()
        self.n_reg = n_registers
        self.patch = nn.Conv2d(ch, dim, patch, patch)
        n = (img // patch) ** 2
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.registers = nn.Parameter(torch.randn(1, n_registers, dim) * 0.02)
        self.pos = nn.Parameter(torch.randn(1, n + 1, dim) * 0.02)
        self.blocks = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(dim, heads, 4 * dim, 0.0, activation="gelu", batch_first=True, norm_first=True),
            depth, enable_nested_tensor=False,
        )
        self.norm = nn.LayerNorm(dim)

    def forward(self, tiles):
        x = self.patch(tiles).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.size(0), -1, -1), x], 1) + self.pos
        x = torch.cat([x[:, :1], self.registers.expand(x.size(0), -1, -1), x[:, 1:]], 1)
        x = self.norm(self.blocks(x))
        cls, patches = x[:, 0], x[:, 1 + self.n_reg:]  # registers are dropped at the output
        return cls, patches


if __name__ == "__main__":
    torch.manual_seed(0)
    cls, patches = ViTWithRegisters()(torch.randn(2, 4, 32, 32))
    print("cls", cls.shape, "patches", patches.shape)
