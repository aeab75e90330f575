from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class SetTransformerConfig:
    d_model: int = 256
    n_heads: int = 8
    n_layers: int = 4
    dropout: float = 0.0


class CellSetAttention(nn.Module):
    def __init__(self, cfg: SetTransformerConfig):
        super().__init__()
        self.cfg = cfg
        self.head_dim = cfg.d_model // cfg.n_heads
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.out = nn.Linear(cfg.d_model, cfg.d_model)

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor) -> torch.Tensor:
        B, S, D = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.cfg.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        return self.out(y.transpose(1, 2).reshape(B, S, D))


def build_set_mask(cell_counts: torch.Tensor, max_cells: int) -> torch.Tensor:
    valid = torch.arange(max_cells)[None, :] < cell_counts[:, None]
    return (valid[:, :, None] & valid[:, None, :]).unsqueeze(1)


class PerturbationModel(nn.Module):
    def __init__(self, cfg: SetTransformerConfig, n_genes: int = 2000):
        super().__init__()
        self.encoder = nn.Linear(n_genes, cfg.d_model)
        self.layers = nn.ModuleList([CellSetAttention(cfg) for _ in range(cfg.n_layers)])
        self.decoder = nn.Linear(cfg.d_model, n_genes)

    def forward(self, expr: torch.Tensor, cell_counts: torch.Tensor) -> torch.Tensor:
        mask = build_set_mask(cell_counts, expr.shape[1])
        h = self.encoder(expr)
        for layer in self.layers:
            h = h + layer(h, mask)
        return self.decoder(h)


if __name__ == "__main__":
    cfg = SetTransformerConfig()
    model = PerturbationModel(cfg)
    expr = torch.randn(4, 64, 2000)
    counts = torch.tensor([64, 40, 64, 12])
    print(model(expr, counts).shape)
