import torch
import torch.nn as nn


class PatchEncoder(nn.Module):
    def __init__(self, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.proj = nn.Linear(48, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, patches, n_patches):
        pad = torch.arange(patches.size(1))[None] >= n_patches[:, None]
        return self.encoder(self.proj(patches), src_key_padding_mask=pad), pad
