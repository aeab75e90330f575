import torch
import torch.nn as nn


class AttentionPool(nn.Module):
    """Pools a (batch, tokens, dim) feature map with a single learned query."""

    def __init__(self, dim=8, num_heads=2):
        super().__init__()
        self.query = nn.Parameter(torch.randn(1, 1, dim))
        self.attn = nn.MultiheadAttention(dim, num_heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)

    def forward(self, feats):
        # feats: (batch, tokens, dim)
        query = self.query.expand(feats.shape[0], -1, -1)
        pooled, weights = self.attn(query, feats, feats)
        return self.norm(pooled.squeeze(1)), weights


class ImageCaptionScorer(nn.Module):
    def __init__(self, dim=8):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, kernel_size=2, stride=2)
        self.pool = AttentionPool(dim)
        self.head = nn.Linear(dim, 1)

    def forward(self, images):
        feats = self.patch(images).flatten(2).transpose(1, 2)
        pooled, _ = self.pool(feats)
        return self.head(pooled)


def run():
    model = ImageCaptionScorer()
    images = torch.randn(2, 3, 4, 6)
    return model(images)
