import torch
from torch import nn


class SelfAttentionBlock(nn.Module):
    def __init__(self, dim: int, heads: int, dropout: float = 0.0):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, dim * 2), nn.GELU(), nn.Linear(dim * 2, dim))

    def forward(self, x: torch.Tensor, pad_mask: torch.Tensor) -> torch.Tensor:
        q = self.ln1(x)
        out, _ = self.attn(q, q, q, key_padding_mask=pad_mask, need_weights=False)  # expect: ML101
        x = x + out
        return x + self.ffn(self.ln2(x))
