import torch
from torch import nn


class QueryPooling(nn.Module):
    """Learned queries attend over image patch tokens (batch_first layout)."""

    def __init__(self, dim=64, num_queries=1, num_heads=1):
        super().__init__()
        self.query = nn.Parameter(torch.randn(num_queries, dim))
        self.attn = nn.MultiheadAttention(dim, num_heads, batch_first=True)

    def forward(self, patches, patch_padding_mask=None):
        b = patches.shape[0]
        query = self.query.unsqueeze(0).expand(b, -1, -1)  # BUG
        pooled, weights = self.attn(query, patches, patches, key_padding_mask=patch_padding_mask)
        return pooled.squeeze(1), weights


class Classifier(nn.Module):
    def __init__(self, dim=64, num_classes=5):
        super().__init__()
        self.patch_embed = nn.Linear(48, dim)
        self.pool = QueryPooling(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, patches, patch_padding_mask=None):
        tokens = self.patch_embed(patches)
        pooled, _ = self.pool(tokens, patch_padding_mask)
        return self.head(pooled)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Classifier()
    patches = torch.randn(4, 9, 48)
    patch_padding_mask = torch.zeros(4, 9, dtype=torch.bool)
    patch_padding_mask[2, 6:] = True
    try:
        logits = model(patches, patch_padding_mask)
        print(f"ok, logits shape {tuple(logits.shape)}")
    except (AssertionError, RuntimeError) as e:
        print(f"{type(e).__name__}: {e}")
