from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class TransformerConfig:
    hidden_dim: int = 64
    n_heads: int = 4
    n_layers: int = 2
    cell_set_len: int = 8


class SetSelfAttention(nn.Module):
    def __init__(self, cfg: TransformerConfig):
        super().__init__()
        self.n_heads = cfg.n_heads
        self.qkv = nn.Linear(cfg.hidden_dim, 3 * cfg.hidden_dim)
        self.out = nn.Linear(cfg.hidden_dim, cfg.hidden_dim)

    def forward(self, x, attn_mask=None):
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.n_heads, D // self.n_heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        return self.out(y.transpose(1, 2).reshape(B, S, D))


class StateTransitionModel(nn.Module):
    def __init__(self, cfg: TransformerConfig):
        super().__init__()
        self.cfg = cfg
        self.layers = nn.ModuleList([SetSelfAttention(cfg) for _ in range(cfg.n_layers)])
        self.norms = nn.ModuleList([nn.LayerNorm(cfg.hidden_dim) for _ in range(cfg.n_layers)])

    def build_attention_mask(self, set_sizes, S, device):
        valid = torch.arange(S, device=device)[None, :] < set_sizes[:, None]
        attn_mask = torch.ones(len(set_sizes), S, S, dtype=torch.bool, device=device)
        attn_mask = attn_mask & valid[:, None, :]
        return attn_mask.unsqueeze(1)

    def forward(self, x, set_sizes):
        attn_mask = self.build_attention_mask(set_sizes, x.shape[1], x.device)
        for layer, norm in zip(self.layers, self.norms):
            x = x + layer(norm(x), attn_mask=attn_mask)
        return x


if __name__ == "__main__":
    cfg = TransformerConfig()
    model = StateTransitionModel(cfg)
    x = torch.randn(3, cfg.cell_set_len, cfg.hidden_dim)
    print(model(x, torch.tensor([8, 6, 3])).shape)
