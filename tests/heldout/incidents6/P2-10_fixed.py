"""Cell-set transformer: each sample is a padded set of cell embeddings."""
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class SetModelConfig:
    input_dim: int = 24
    hidden_dim: int = 32
    n_heads: int = 4
    n_layers: int = 2


class SetAttentionBlock(nn.Module):
    def __init__(self, cfg: SetModelConfig):
        super().__init__()
        self.h = cfg.n_heads
        self.qkv = nn.Linear(cfg.hidden_dim, 3 * cfg.hidden_dim)
        self.out = nn.Linear(cfg.hidden_dim, cfg.hidden_dim)
        self.norm = nn.LayerNorm(cfg.hidden_dim)

    def forward(self, x, attn_mask):
        B, S, D = x.shape
        q, k, v = self.qkv(self.norm(x)).view(B, S, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        return x + self.out(y.transpose(1, 2).reshape(B, S, D))


class CellSetModel(nn.Module):
    def __init__(self, cfg: SetModelConfig):
        super().__init__()
        self.encoder = nn.Linear(cfg.input_dim, cfg.hidden_dim)
        self.blocks = nn.ModuleList([SetAttentionBlock(cfg) for _ in range(cfg.n_layers)])
        self.decoder = nn.Linear(cfg.hidden_dim, cfg.input_dim)

    def forward(self, cells, set_sizes):
        B, S, _ = cells.shape
        valid = (torch.arange(S, device=cells.device)[None, :] < set_sizes[:, None]).float()
        pair_mask = valid.bool()[:, :, None] & valid.bool()[:, None, :]
        attn_mask = pair_mask.unsqueeze(1)
        x = self.encoder(cells)
        for blk in self.blocks:
            x = blk(x, attn_mask)
        pooled = (x * valid[..., None]).sum(1) / valid.sum(1, keepdim=True)
        return self.decoder(pooled)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CellSetModel(SetModelConfig())
    cells = torch.randn(3, 7, 24)
    sizes = torch.tensor([7, 5, 3])
    print(model(cells, sizes).shape)
