import torch.nn.functional as F
from torch import nn


class SelfAttention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x, key_mask):
        b, s, d = x.shape
        qkv = self.to_qkv(x).unflatten(-1, (3, self.heads, d // self.heads))
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=key_mask)
        return self.to_out(out.transpose(1, 2).flatten(2))


class TowerLayer(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.attn, self.ln1 = SelfAttention(dim, heads), nn.LayerNorm(dim)
        self.mlp, self.ln2 = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim)), nn.LayerNorm(dim)

    def forward(self, x, key_mask):
        x = x + self.attn(self.ln1(x), key_mask)
        return x + self.mlp(self.ln2(x))
