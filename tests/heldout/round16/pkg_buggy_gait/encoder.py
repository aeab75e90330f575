"""Gait recognition from silhouette sequences of varying length."""
import torch
import torch.nn as nn

from .utils import lengths_to_mask, masked_mean


class SilhouetteStem(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(16, dim, 3, stride=2, padding=1), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
        )

    def forward(self, frames):
        b, t = frames.shape[:2]
        return self.conv(frames.flatten(0, 1)).view(b, t, -1)


class GaitSetTransformer(nn.Module):
    def __init__(self, dim=32, heads=4, layers=2, n_subjects=50):
        super().__init__()
        self.stem = SilhouetteStem(dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 2 * dim, dropout=0.0, batch_first=True)
        self.tf = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.embed = nn.Linear(dim, 64)
        self.classifier = nn.Linear(64, n_subjects)

    def forward(self, frames, lengths):
        x = self.stem(frames)
        valid = lengths_to_mask(lengths, x.size(1))
        x = self.tf(x, src_key_padding_mask=valid)  # expect: ML101
        emb = self.embed(masked_mean(x, valid))
        return emb, self.classifier(emb)
