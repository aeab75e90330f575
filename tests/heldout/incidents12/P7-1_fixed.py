import torch
import torch.nn.functional as F
from torch import nn


def mask_(matrices, maskval=0.0, mask_diagonal=True):
    b, h, w = matrices.size()
    indices = torch.triu_indices(h, w, offset=0 if mask_diagonal else 1)
    matrices[:, indices[0], indices[1]] = maskval


class SelfAttention(nn.Module):
    def __init__(self, emb, heads=4, mask=False):
        super().__init__()
        self.emb, self.heads, self.mask = emb, heads, mask
        self.tokeys = nn.Linear(emb, emb, bias=False)
        self.toqueries = nn.Linear(emb, emb, bias=False)
        self.tovalues = nn.Linear(emb, emb, bias=False)
        self.unifyheads = nn.Linear(emb, emb)

    def forward(self, x):
        b, t, e = x.size()
        h, s = self.heads, e // self.heads
        keys = self.tokeys(x).view(b, t, h, s).transpose(1, 2).contiguous().view(b * h, t, s)
        queries = self.toqueries(x).view(b, t, h, s).transpose(1, 2).contiguous().view(b * h, t, s)
        values = self.tovalues(x).view(b, t, h, s).transpose(1, 2).contiguous().view(b * h, t, s)
        dot = torch.bmm(queries / s ** 0.25, keys.transpose(1, 2) / s ** 0.25)
        if self.mask:
            mask_(dot, maskval=float("-inf"), mask_diagonal=False)
        dot = F.softmax(dot, dim=2)
        out = torch.bmm(dot, values).view(b, h, t, s)
        return self.unifyheads(out.transpose(1, 2).contiguous().view(b, t, h * s))


class GTransformer(nn.Module):
    def __init__(self, emb=32, heads=4, depth=2, seq_length=16, num_tokens=50):
        super().__init__()
        self.token_embedding = nn.Embedding(num_tokens, emb)
        self.pos_embedding = nn.Embedding(seq_length, emb)
        self.blocks = nn.ModuleList([SelfAttention(emb, heads, mask=True) for _ in range(depth)])
        self.toprobs = nn.Linear(emb, num_tokens)

    def forward(self, x):
        x = self.token_embedding(x) + self.pos_embedding(torch.arange(x.size(1)))[None]
        for blk in self.blocks:
            x = x + blk(x)
        return F.log_softmax(self.toprobs(x), dim=2)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GTransformer()
    out = model(torch.randint(0, 50, (2, 10)))
    print(f"NaN log-probs: {int(torch.isnan(out).sum())} of {out.numel()}")
