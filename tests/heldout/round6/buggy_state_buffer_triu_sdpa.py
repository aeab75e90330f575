"""Causal self-attention that keeps its mask in a registered buffer."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CachedMaskAttention(nn.Module):
    def __init__(self, dim: int, heads: int, max_positions: int = 512):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.proj = nn.Linear(dim, dim)
        self.register_buffer(
            "causal_mask",
            torch.triu(torch.ones(max_positions, max_positions), diagonal=1).bool(),
            persistent=False,
        )

    def _heads(self, t):
        B, T, C = t.shape
        return t.view(B, T, self.heads, C // self.heads).transpose(1, 2)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = map(self._heads, self.qkv(x).chunk(3, dim=-1))
        mask = self.causal_mask[:T, :T]
        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=mask,  # expect: ML102
        )
        return self.proj(out.transpose(1, 2).reshape(B, T, C))


if __name__ == "__main__":
    torch.manual_seed(0)
    m = CachedMaskAttention(32, 4)
    x = torch.randn(1, 5, 32)
    x2 = x.clone(); x2[:, -1] = torch.randn(32)
    print("t=0 sees future:", (m(x)[:, 0] - m(x2)[:, 0]).abs().max().item() > 1e-5)
