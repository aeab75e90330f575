"""MLM-style span prediction: label_ids == -1 marks positions without a target (ignore index);
the prediction queries attend to the context tokens that have no label to predict (unmasked ones)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SpanPredictor(nn.Module):
    def __init__(self, dim=64, heads=4):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)

    def forward(self, x, label_ids):
        b, n, d = x.shape
        q = self.q(x).view(b, n, self.heads, -1).transpose(1, 2)
        k, v = self.kv(x).view(b, n, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        visible = label_ids == -1        # context: positions with nothing to predict
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=visible[:, None, None, :])
        return out.transpose(1, 2).reshape(b, n, d)
