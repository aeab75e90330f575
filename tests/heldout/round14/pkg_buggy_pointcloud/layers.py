import torch
from torch import nn


class LocalPointAttention(nn.Module):
    def __init__(self, dim: int, num_heads: int):
        super().__init__()
        self.num_heads = num_heads
        self.pos_enc = nn.Sequential(nn.Linear(3, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.norm = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, num_heads, batch_first=True)
        self.mlp = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def forward(self, feats: torch.Tensor, xyz: torch.Tensor, outside: torch.Tensor) -> torch.Tensor:
        h = self.norm(feats + self.pos_enc(xyz))
        mask = outside.repeat(self.num_heads, 1, 1)
        out, _ = self.attn(h, h, h, attn_mask=mask, need_weights=False)  # expect: ML302
        feats = feats + out
        return feats + self.mlp(feats)
