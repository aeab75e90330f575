"""Perturbation model over sets of cells: a transformer that attends within each cell set."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CellSetAttention(nn.Module):
    def __init__(self, dim=32, heads=4, dropout=0.0):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.out = nn.Linear(dim, dim)
        self.dropout = dropout

    def forward(self, x, attn_mask):
        b, s, d = x.shape
        q, k, v = self.to_qkv(x).view(b, s, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        o = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask,
                                           dropout_p=self.dropout if self.training else 0.0)
        return self.out(o.transpose(1, 2).reshape(b, s, d))


class StateTransitionModel(nn.Module):
    """Cells of one perturbation group attend to each other; padded cells are ignored."""

    def __init__(self, n_genes=20, dim=32, heads=4, depth=2):
        super().__init__()
        self.heads = heads
        self.encoder = nn.Linear(n_genes, dim)
        self.pert_embedding = nn.Embedding(10, dim)
        self.layers = nn.ModuleList([CellSetAttention(dim, heads) for _ in range(depth)])
        self.decoder = nn.Linear(dim, n_genes)

    def build_mask(self, cell_valid, group_ids):
        # (B, S, S): True where both cells are real and in the same group
        valid = cell_valid.bool()
        pair_valid = valid[:, :, None] * valid[:, None, :]
        same_group = group_ids[:, :, None] == group_ids[:, None, :]
        mask = pair_valid & same_group
        mask = mask | torch.eye(mask.shape[-1], dtype=torch.bool, device=mask.device)
        return mask[:, None].expand(-1, self.heads, -1, -1)  # (B, H, S, S)

    def forward(self, expr, pert, cell_valid, group_ids):
        x = self.encoder(expr) + self.pert_embedding(pert)[:, None, :]
        mask = self.build_mask(cell_valid, group_ids)
        for layer in self.layers:
            x = x + layer(x, mask)
        return expr + self.decoder(x)
