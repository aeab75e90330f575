import torch
import torch.nn.functional as F
from torch import nn


class PackedAttention(nn.Module):
    """Sequence packing: one long row holding several documents; a token attends only within its document."""

    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x, document_ids):
        """x: (1, S, C); document_ids: (S,), the document each packed token belongs to."""
        B, S, C = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        same_doc = document_ids.unsqueeze(-1) == document_ids.unsqueeze(-2)
        causal = torch.ones(S, S, dtype=torch.bool).tril()
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=same_doc & causal)
        return y.transpose(1, 2).reshape(B, S, C)


if __name__ == "__main__":
    x = torch.randn(1, 7, 32)
    doc = torch.tensor([0, 0, 0, 1, 1, 2, 2])
    print(PackedAttention()(x, doc).shape)
