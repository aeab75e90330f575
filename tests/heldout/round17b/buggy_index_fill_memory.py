"""Local-window encoder for long scientific abstracts with a few global tokens.

Every token reads a band of neighbours; section markers (title, methods,
results) are global: they read everything and everything reads them.
"""
import torch
from torch import nn


def band_with_globals(n, window, global_idx):
    pos = torch.arange(n)
    reach = (pos[:, None] - pos[None, :]).abs() <= window
    reach.index_fill_(1, global_idx, True)
    reach.index_fill_(0, global_idx, True)
    return reach


class SparseAbstractEncoder(nn.Module):
    def __init__(self, vocab=8000, dim=64, heads=4, window=3):
        super().__init__()
        self.window = window
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(512, dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ff = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(),
                                nn.Linear(2 * dim, dim))

    def forward(self, ids, global_idx):
        n = ids.size(1)
        x = self.tok(ids) + self.pos(torch.arange(n, device=ids.device))
        reach = band_with_globals(n, self.window, global_idx).to(ids.device)
        h, _ = self.attn(x, x, x, attn_mask=reach, need_weights=False)  # expect: ML101
        x = x + h
        return x + self.ff(x)


class SectionClassifier(nn.Module):
    def __init__(self, n_labels=6, **kw):
        super().__init__()
        self.encoder = SparseAbstractEncoder(**kw)
        self.out = nn.Linear(64, n_labels)

    def forward(self, ids, global_idx):
        h = self.encoder(ids, global_idx)
        return self.out(h[:, global_idx].mean(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(5, 8000, (2, 40))
    markers = torch.tensor([0, 15, 28])
    ids[:, markers] = torch.tensor([1, 2, 3])
    print(SectionClassifier()(ids, markers).softmax(-1))
