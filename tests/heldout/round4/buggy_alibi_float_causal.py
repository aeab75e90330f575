"""Decoder-only LM with ALiBi positional biases (Press et al., 2022), SDPA backend."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def alibi_slopes(n_heads: int) -> torch.Tensor:
    start = 2 ** (-(2 ** -(math.log2(n_heads) - 3)))
    return torch.tensor([start * (start ** i) for i in range(n_heads)])


def alibi_bias(n_heads: int, T: int, device=None) -> torch.Tensor:
    pos = torch.arange(T, device=device)
    dist = (pos[None, :] - pos[:, None]).clamp(max=0).float()      # -(i - j) for j <= i
    return alibi_slopes(n_heads).to(device)[:, None, None] * dist   # (H, T, T)


class AlibiAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int, p_drop: float = 0.0):
        super().__init__()
        self.n_heads = n_heads
        self.p_drop = p_drop
        self.wqkv = nn.Linear(d_model, 3 * d_model, bias=False)
        self.wo = nn.Linear(d_model, d_model, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, D = x.shape
        qkv = self.wqkv(x).view(B, T, 3, self.n_heads, D // self.n_heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)
        causal = torch.tril(torch.ones(T, T, device=x.device))        # 1 = visible
        bias = alibi_bias(self.n_heads, T, x.device) + causal
        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=bias.unsqueeze(0),  # expect: ML202
            dropout_p=self.p_drop if self.training else 0.0,
        )
        return self.wo(out.transpose(1, 2).reshape(B, T, D))


class AlibiLM(nn.Module):
    """No learned or rotary positions: ALiBi only."""

    def __init__(self, vocab: int, d_model: int = 512, n_heads: int = 8, n_layers: int = 6):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.attn = nn.ModuleList(AlibiAttention(d_model, n_heads) for _ in range(n_layers))
        self.ffn = nn.ModuleList(
            nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, 4 * d_model), nn.GELU(),
                          nn.Linear(4 * d_model, d_model))
            for _ in range(n_layers)
        )
        self.norms = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(n_layers))
        self.out = nn.Linear(d_model, vocab, bias=False)

    def forward(self, idx):
        x = self.embed(idx)
        for attn, ffn, norm in zip(self.attn, self.ffn, self.norms):
            x = x + attn(norm(x))
            x = x + ffn(x)
        return self.out(x)

    def loss(self, idx):
        logits = self(idx[:, :-1])
        return F.cross_entropy(logits.flatten(0, 1), idx[:, 1:].flatten())
