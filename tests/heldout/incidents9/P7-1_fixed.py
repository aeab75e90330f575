import torch
import torch.nn.functional as F
from torch import nn


def mask_(matrices, maskval=0.0, mask_diagonal=True):
    """Masks out all values in the given batch of matrices where i <= j holds,
    i < j if mask_diagonal is false. In place operation."""
    b, h, w = matrices.size()
    indices = torch.triu_indices(h, w, offset=0 if mask_diagonal else 1)
    matrices[:, indices[0], indices[1]] = maskval


class SelfAttention(nn.Module):
    def __init__(self, emb, heads=4, mask=False):
        super().__init__()
        self.emb, self.heads, self.mask = emb, heads, mask
        self.tokeys = nn.Linear(emb, emb * heads, bias=False)
        self.toqueries = nn.Linear(emb, emb * heads, bias=False)
        self.tovalues = nn.Linear(emb, emb * heads, bias=False)
        self.unifyheads = nn.Linear(heads * emb, emb)

    def forward(self, x):
        b, t, e = x.size()
        h = self.heads
        keys = self.tokeys(x).view(b, t, h, e).transpose(1, 2).reshape(b * h, t, e)
        queries = self.toqueries(x).view(b, t, h, e).transpose(1, 2).reshape(b * h, t, e)
        values = self.tovalues(x).view(b, t, h, e).transpose(1, 2).reshape(b * h, t, e)
        queries = queries / (e ** (1 / 4))
        keys = keys / (e ** (1 / 4))
        dot = torch.bmm(queries, keys.transpose(1, 2))
        if self.mask:  # mask out the upper half of the dot matrix, excluding the diagonal
            mask_(dot, maskval=float("-inf"), mask_diagonal=False)
        dot = F.softmax(dot, dim=2)
        out = torch.bmm(dot, values).view(b, h, t, e)
        return self.unifyheads(out.transpose(1, 2).reshape(b, t, h * e))


class GTransformerBlock(nn.Module):
    def __init__(self, emb, heads):
        super().__init__()
        self.attention = SelfAttention(emb, heads=heads, mask=True)
        self.norm1, self.norm2 = nn.LayerNorm(emb), nn.LayerNorm(emb)
        self.ff = nn.Sequential(nn.Linear(emb, 4 * emb), nn.ReLU(), nn.Linear(4 * emb, emb))

    def forward(self, x):
        x = self.norm1(self.attention(x) + x)
        return self.norm2(self.ff(x) + x)


if __name__ == "__main__":
    torch.manual_seed(0)
    block = GTransformerBlock(emb=16, heads=2)
    x = torch.randn(2, 5, 16)
    y = block(x)
    print(y.shape, "nan:", torch.isnan(y).any().item())
    y.sum().backward()
    print("nan grads:", any(torch.isnan(p.grad).any().item() for p in block.parameters() if p.grad is not None))
