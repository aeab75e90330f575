"""Config-driven attention: SDPA takes the is_causal flag, MHA gets an explicit mask too."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class AttnConfig:
    dim: int = 256
    heads: int = 4
    dropout: float = 0.0
    causal: bool = True


class SDPASelfAttention(nn.Module):
    def __init__(self, cfg: AttnConfig):
        super().__init__()
        self.cfg = cfg
        self.qkv = nn.Linear(cfg.dim, 3 * cfg.dim)
        self.out = nn.Linear(cfg.dim, cfg.dim)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.cfg.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(
            q, k, v,
            dropout_p=self.cfg.dropout if self.training else 0.0,
            is_causal=self.cfg.causal,
        )
        return self.out(y.transpose(1, 2).reshape(B, T, C))


class MHASelfAttention(nn.Module):
    def __init__(self, cfg: AttnConfig):
        super().__init__()
        self.cfg = cfg
        self.mha = nn.MultiheadAttention(cfg.dim, cfg.heads, dropout=cfg.dropout, batch_first=True)

    def forward(self, x):
        T = x.size(1)
        mask = None
        if self.cfg.causal:
            mask = nn.Transformer.generate_square_subsequent_mask(T, device=x.device)
        y, _ = self.mha(x, x, x, attn_mask=mask, is_causal=self.cfg.causal, need_weights=False)
        return y


if __name__ == "__main__":
    cfg = AttnConfig()
    x = torch.randn(2, 9, cfg.dim)
    a = SDPASelfAttention(cfg)(x)
    b = MHASelfAttention(cfg)(x)
    print(a.shape, b.shape)
