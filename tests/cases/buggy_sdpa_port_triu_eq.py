"""Self-attention block ported from nn.MultiheadAttention to SDPA for the flash kernels."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FastCausalSelfAttention(nn.Module):
    def __init__(self, embed_dim: int = 64, num_heads: int = 4, dropout: float = 0.0):
        super().__init__()
        assert embed_dim % num_heads == 0
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.in_proj = nn.Linear(embed_dim, 3 * embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.dropout = dropout

    def _heads(self, t: torch.Tensor, bsz: int, seq_len: int) -> torch.Tensor:
        return t.view(bsz, seq_len, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        bsz, seq_len, embed_dim = x.shape
        q, k, v = self.in_proj(x).split(embed_dim, dim=-1)
        q, k, v = (self._heads(t, bsz, seq_len) for t in (q, k, v))
        # same mask the nn.MultiheadAttention version of this block used
        mask = torch.ones(seq_len, seq_len, device=x.device).triu(1) == 1
        drop = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=drop)  # expect: ML102
        y = y.transpose(1, 2).reshape(bsz, seq_len, embed_dim)
        return self.out_proj(y)
