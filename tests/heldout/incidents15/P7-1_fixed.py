import torch
from torch import nn
import torch.nn.functional as F


def mask_(matrices, maskval=0.0, mask_diagonal=True):
    """Masks out all values in the given batch of matrices where i <= j holds,
    i < j if mask_diagonal is false. In place operation."""
    h, w = matrices.size(-2), matrices.size(-1)
    indices = torch.triu_indices(h, w, offset=0 if mask_diagonal else 1)
    matrices[..., indices[0], indices[1]] = maskval


class SelfAttention(nn.Module):
    def __init__(self, emb, heads=2, mask=False):
        super().__init__()
        self.emb, self.heads, self.mask = emb, heads, mask
        s = emb // heads
        self.tokeys = nn.Linear(emb, emb, bias=False)
        self.toqueries = nn.Linear(emb, emb, bias=False)
        self.tovalues = nn.Linear(emb, emb, bias=False)
        self.unifyheads = nn.Linear(heads * s, emb)

    def forward(self, x):
        b, t, e = x.size()
        h = self.heads
        s = e // h
        keys = self.tokeys(x).view(b, t, h, s).transpose(1, 2).contiguous().view(b * h, t, s)
        queries = self.toqueries(x).view(b, t, h, s).transpose(1, 2).contiguous().view(b * h, t, s)
        values = self.tovalues(x).view(b, t, h, s).transpose(1, 2).contiguous().view(b * h, t, s)
        queries = queries / (e ** (1 / 4))
        keys = keys / (e ** (1 / 4))
        dot = torch.bmm(queries, keys.transpose(1, 2))
        assert dot.size() == (b * h, t, t)
        if self.mask:
            mask_(dot, maskval=float('-inf'), mask_diagonal=False)  # BUG
        dot = F.softmax(dot, dim=2)
        out = torch.bmm(dot, values).view(b, h, t, s)
        out = out.transpose(1, 2).contiguous().view(b, t, s * h)
        return self.unifyheads(out)


class GTransformer(nn.Module):
    def __init__(self, emb=16, heads=2, seq_length=8, num_tokens=30):
        super().__init__()
        self.token_embedding = nn.Embedding(num_tokens, emb)
        self.pos_embedding = nn.Embedding(seq_length, emb)
        self.attention = SelfAttention(emb, heads=heads, mask=True)
        self.toprobs = nn.Linear(emb, num_tokens)

    def forward(self, x):
        tokens = self.token_embedding(x)
        b, t, e = tokens.size()
        x = tokens + self.pos_embedding(torch.arange(t))[None, :, :]
        x = x + self.attention(x)
        return F.log_softmax(self.toprobs(x), dim=2)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GTransformer()
    x = torch.randint(0, 30, (2, 8))
    output = model(x)
    loss = F.nll_loss(output.transpose(2, 1), x)
    print(f"NaN log-probs: {int(torch.isnan(output).sum())}, loss finite: {bool(torch.isfinite(loss))}")
