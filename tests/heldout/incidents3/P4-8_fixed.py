"""Decoder self-attention for the audio-token decoder (SDPA, padded batches)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DecoderSelfAttention(nn.Module):
    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.q_proj = nn.Linear(embed_dim, embed_dim, bias=False)
        self.k_proj = nn.Linear(embed_dim, embed_dim, bias=False)
        self.v_proj = nn.Linear(embed_dim, embed_dim, bias=False)
        self.o_proj = nn.Linear(embed_dim, embed_dim, bias=False)
        self.dropout = dropout

    def _shape(self, x: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        return x.view(b, t, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, x: torch.Tensor, padding_mask: torch.Tensor) -> torch.Tensor:
        """padding_mask: (B, T) bool, True = real frame (right padded)."""
        b, t, _ = x.shape
        q, k, v = self._shape(self.q_proj(x)), self._shape(self.k_proj(x)), self._shape(self.v_proj(x))
        causal = torch.ones(t, t, dtype=torch.bool, device=x.device).tril()
        attn_mask = causal[None, None] & padding_mask[:, None, None, :]
        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=attn_mask,
            dropout_p=self.dropout if self.training else 0.0,
            is_causal=False,
        )
        return self.o_proj(out.transpose(1, 2).reshape(b, t, -1))


class DecoderLayer(nn.Module):
    def __init__(self, embed_dim: int = 256, num_heads: int = 8, ff_mult: int = 4):
        super().__init__()
        self.pre_sa_norm = nn.RMSNorm(embed_dim)
        self.self_attention = DecoderSelfAttention(embed_dim, num_heads)
        self.pre_mlp_norm = nn.RMSNorm(embed_dim)
        self.mlp = nn.Sequential(nn.Linear(embed_dim, ff_mult * embed_dim), nn.SiLU(), nn.Linear(ff_mult * embed_dim, embed_dim))

    def forward(self, x: torch.Tensor, padding_mask: torch.Tensor) -> torch.Tensor:
        x = x + self.self_attention(self.pre_sa_norm(x), padding_mask)
        return x + self.mlp(self.pre_mlp_norm(x))
