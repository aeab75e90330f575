"""former/util.py + former/modules.py style (pbloem/former): causal
self-attention masks the upper triangle of the dot-product matrix in place."""
import torch
import torch.nn.functional as F
from torch import nn


def mask_(matrices, maskval=0.0, mask_diagonal=True):
    """Masks out all values in the given batch of matrices where i <= j holds
    (i < j if mask_diagonal is false).  In place."""
    h, w = matrices.size(-2), matrices.size(-1)
    indices = torch.triu_indices(h, w, offset=0 if mask_diagonal else 1)
    matrices[..., indices[0], indices[1]] = maskval


class SelfAttention(nn.Module):
    def __init__(self, emb, heads=2, mask=False):
        super().__init__()
        self.emb, self.heads, self.mask = emb, heads, mask
        self.tokeys = nn.Linear(emb, emb, bias=False)
        self.toqueries = nn.Linear(emb, emb, bias=False)
        self.tovalues = nn.Linear(emb, emb, bias=False)
        self.unifyheads = nn.Linear(emb, emb)

    def forward(self, x):
        b, t, e = x.size()
        h, s = self.heads, e // self.heads
        keys = self.tokeys(x).view(b, t, h, s).transpose(1, 2).reshape(b * h, t, s)
        queries = self.toqueries(x).view(b, t, h, s).transpose(1, 2).reshape(b * h, t, s)
        values = self.tovalues(x).view(b, t, h, s).transpose(1, 2).reshape(b * h, t, s)
        dot = torch.bmm(queries, keys.transpose(1, 2)) / (s ** 0.5)
        if self.mask:
            mask_(dot, maskval=float("-inf"))  # BUG
        dot = F.softmax(dot, dim=2)
        out = torch.bmm(dot, values).view(b, h, t, s).transpose(1, 2).reshape(b, t, e)
        return self.unifyheads(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    att = SelfAttention(16, mask=True)
    y = att(torch.randn(2, 5, 16))
    print("NaN in output:", bool(y.isnan().any()))
