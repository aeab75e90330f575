"""Region encoder. Images yield a variable number of detector boxes; batches are padded."""
import torch
from torch import nn


def pad_regions(region_list, feat_dim):
    n = max(r.size(0) for r in region_list)
    feats = torch.zeros(len(region_list), n, feat_dim)
    is_pad = torch.ones(len(region_list), n, dtype=torch.bool)
    for i, r in enumerate(region_list):
        feats[i, : r.size(0)] = r
        is_pad[i, : r.size(0)] = False
    return feats, is_pad


class RegionEncoder(nn.Module):
    def __init__(self, feat_dim, d_model, nhead, layers):
        super().__init__()
        self.proj = nn.Sequential(nn.Linear(feat_dim + 4, d_model), nn.LayerNorm(d_model))
        self.enc = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, 0.0, batch_first=True), layers,
            enable_nested_tensor=False,
        )

    def forward(self, feats, boxes, is_pad):
        x = self.proj(torch.cat([feats, boxes], -1))
        return self.enc(x, src_key_padding_mask=is_pad)
