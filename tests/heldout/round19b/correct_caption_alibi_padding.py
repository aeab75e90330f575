"""Caption encoder with ALiBi position bias and padding folded into the bias."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def get_slopes(n_heads: int) -> torch.Tensor:
    base = 2.0 ** (-8.0 / n_heads)
    return torch.pow(torch.tensor(base), torch.arange(1, n_heads + 1, dtype=torch.float32))


class AlibiAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int, p_drop: float = 0.0):
        super().__init__()
        self.n_heads = n_heads
        self.d_head = d_model // n_heads
        self.in_proj = nn.Linear(d_model, 3 * d_model)
        self.out_proj = nn.Linear(d_model, d_model)
        self.p_drop = p_drop
        self.register_buffer("slopes", get_slopes(n_heads), persistent=False)

    def position_bias(self, length: int) -> torch.Tensor:
        idx = torch.arange(length, device=self.slopes.device)
        rel = (idx.view(1, -1) - idx.view(-1, 1)).abs().to(self.slopes.dtype)
        return -(self.slopes.view(-1, 1, 1) * rel)

    def forward(self, x: torch.Tensor, token_mask: torch.Tensor) -> torch.Tensor:
        bsz, length, width = x.shape
        q, k, v = self.in_proj(x).chunk(3, dim=-1)
        q, k, v = (
            t.view(bsz, length, self.n_heads, self.d_head).transpose(1, 2) for t in (q, k, v)
        )
        pad_bias = torch.where(token_mask, 0.0, float("-inf")).to(q.dtype)
        bias = self.position_bias(length).unsqueeze(0) + pad_bias[:, None, None, :]
        y = F.scaled_dot_product_attention(
            q, k, v, attn_mask=bias, dropout_p=self.p_drop if self.training else 0.0
        )
        return self.out_proj(y.transpose(1, 2).reshape(bsz, length, width))


class Block(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.norm_a = nn.LayerNorm(d_model)
        self.attn = AlibiAttention(d_model, n_heads)
        self.norm_b = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(
            nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model)
        )

    def forward(self, x, token_mask):
        x = x + self.attn(self.norm_a(x), token_mask)
        return x + self.mlp(self.norm_b(x))


class CaptionEncoder(nn.Module):
    def __init__(self, vocab_size, d_model=64, n_heads=4, n_layers=2, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.blocks = nn.ModuleList([Block(d_model, n_heads) for _ in range(n_layers)])
        self.final_norm = nn.LayerNorm(d_model)

    def forward(self, captions: torch.Tensor) -> torch.Tensor:
        token_mask = captions != self.pad_id
        h = self.embed(captions) * math.sqrt(self.embed.embedding_dim)
        for blk in self.blocks:
            h = blk(h, token_mask)
        h = self.final_norm(h)
        weights = token_mask.unsqueeze(-1).to(h.dtype)
        return (h * weights).sum(1) / weights.sum(1).clamp(min=1.0)
