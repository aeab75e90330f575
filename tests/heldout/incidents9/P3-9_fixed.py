import torch
from torch import nn


class AttentionPooling(nn.Module):
    """Pools a (batch, tokens, dim) feature map with a single learned query token."""

    def __init__(self, dim=64, num_heads=1):
        super().__init__()
        self.query = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.attn = nn.MultiheadAttention(dim, num_heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)

    def forward(self, feats, key_padding_mask=None):
        q = self.query.expand(feats.size(0), -1, -1)
        pooled, weights = self.attn(q, feats, feats, key_padding_mask=key_padding_mask)
        return self.norm(pooled.squeeze(1)), weights


class PatchClassifier(nn.Module):
    def __init__(self, dim=64, num_classes=5):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(32, dim), nn.GELU())
        self.pool = AttentionPooling(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, patches):
        pooled, _ = self.pool(self.backbone(patches))
        return self.head(pooled)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PatchClassifier()
    print(model(torch.randn(1, 49, 32)).shape)  # single image
    print(model(torch.randn(4, 49, 32)).shape)  # a real batch
