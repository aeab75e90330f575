import torch
import torch.nn as nn

from .geometry import competition_mask


class PlotCarbonModel(nn.Module):
    def __init__(self, n_species=120, dim=64, heads=4, depth=2):
        super().__init__()
        self.heads = heads
        self.species = nn.Embedding(n_species, dim)
        self.allometry = nn.Linear(3, dim)    # log DBH, height, crown class
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True)
            for _ in range(depth)
        )
        self.carbon = nn.Linear(dim, 1)

    def forward(self, species, dbh_cm, height_m, crown, xy, tree_pad):
        feats = torch.stack([torch.log(dbh_cm.clamp(min=1.0)), height_m / 30.0, crown], -1)
        x = self.species(species) + self.allometry(feats)
        near = competition_mask(xy, tree_pad, self.heads)
        pad_bias = torch.zeros_like(dbh_cm).masked_fill(tree_pad, float("-inf"))
        for layer in self.layers:
            x = layer(x, src_mask=near, src_key_padding_mask=pad_bias)  # expect: ML204
        per_tree = self.carbon(x).squeeze(-1).masked_fill(tree_pad, 0.0)
        return per_tree.sum(-1)      # tonnes per plot
