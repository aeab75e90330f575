"""Set-transformer block over the cells of one perturbation set (variable number of cells)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CellSetAttention(nn.Module):
    def __init__(self, dim: int, num_heads: int, dropout: float = 0.0):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.dropout = dropout

    def forward(self, x: torch.Tensor, cell_mask: torch.Tensor) -> torch.Tensor:
        """x: (B, S, D); cell_mask: (B, S) float, 1.0 = real cell, 0.0 = padding slot."""
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.num_heads, d // self.num_heads).permute(2, 0, 3, 1, 4)
        pair_mask = cell_mask[:, :, None] & cell_mask[:, None, :]  # BUG
        h = F.scaled_dot_product_attention(
            q, k, v, attn_mask=pair_mask, dropout_p=self.dropout if self.training else 0.0
        )
        return self.out(h.transpose(1, 2).reshape(b, s, d))


class CellSetBlock(nn.Module):
    def __init__(self, dim: int = 128, num_heads: int = 4, mlp_ratio: int = 4):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = CellSetAttention(dim, num_heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp_ratio * dim), nn.GELU(), nn.Linear(mlp_ratio * dim, dim))

    def forward(self, x: torch.Tensor, cell_mask: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x), cell_mask)
        x = x + self.mlp(self.norm2(x))
        return x * cell_mask.unsqueeze(-1).to(x.dtype)
