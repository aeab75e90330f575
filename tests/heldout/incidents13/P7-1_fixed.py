import torch
import torch.nn.functional as F
from torch import nn


def mask_(matrices, maskval=0.0, mask_diagonal=True):
    """Masks out all values in the given batch of matrices where i <= j holds (i < j if not mask_diagonal)."""
    h, w = matrices.size(-2), matrices.size(-1)
    indices = torch.triu_indices(h, w, offset=0 if mask_diagonal else 1)
    matrices[..., indices[0], indices[1]] = maskval


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
        if self.mask:
            mask_(dot, maskval=float("-inf"), mask_diagonal=False)  # BUG
        dot = F.softmax(dot, dim=2)
        out = torch.bmm(dot, values).view(b, h, t, e)
        return self.unifyheads(out.transpose(1, 2).contiguous().view(b, t, h * e))


class GTransformer(nn.Module):
    def __init__(self, emb=16, heads=2, depth=2, seq_length=12, num_tokens=30):
        super().__init__()
        self.token_embedding = nn.Embedding(num_tokens, emb)
        self.pos_embedding = nn.Embedding(seq_length, emb)
        self.tblocks = nn.ModuleList([SelfAttention(emb, heads, mask=True) for _ in range(depth)])
        self.toprobs = nn.Linear(emb, num_tokens)

    def forward(self, x):
        tokens = self.token_embedding(x)
        x = tokens + self.pos_embedding(torch.arange(x.size(1)))[None]
        for blk in self.tblocks:
            x = x + blk(x)
        return F.log_softmax(self.toprobs(x), dim=2)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GTransformer()
    seq = torch.randint(0, 30, (2, 12))
    out = model(seq[:, :-1])
    loss = F.nll_loss(out.transpose(2, 1), seq[:, 1:])
    print(f"NaN log-probs = {int(torch.isnan(out).sum())}/{out.numel()}; loss = {loss.item():.4f}")
