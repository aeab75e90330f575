"""Image-captioning style cross attention (pytorch#64888): one learned query
attends over each image's patch features.  The query is not expanded over the
batch.  torch 2.13 raises on the bug (batch-size mismatch); torch 1.9 ran
silently and broadcast the query."""
import torch
from torch import nn


class AttentionPool(nn.Module):
    def __init__(self, dim=64, heads=1):
        super().__init__()
        self.query = nn.Parameter(torch.randn(1, 1, dim))
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, patches, patch_padding_mask=None):  # patches: (B, P, D)
        q = self.query  # BUG
        out, _ = self.attn(q, patches, patches, key_padding_mask=patch_padding_mask)
        return out.squeeze(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    pool = AttentionPool()
    feats = torch.randn(4, 9, 64)
    out = pool(feats)
    print("pooled shape:", tuple(out.shape))
