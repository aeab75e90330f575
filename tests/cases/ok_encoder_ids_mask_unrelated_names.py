import torch
import torch.nn as nn


class PatchEncoder(nn.Module):
    """Images have no padding: the attention_mask here masks pixels for the reconstruction loss."""
    def __init__(self, d=64, heads=4):
        super().__init__()
        self.proj = nn.Linear(48, d)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, batch_first=True), 2)

    def forward(self, patches, attention_mask):
        x = self.encoder(self.proj(patches))
        return (x * attention_mask.unsqueeze(-1)).mean()
