# EXPECT: ok one sample is an empty set (every key padded); the model detects it, re-opens its key_padding_mask row so nn.MultiheadAttention never sees a fully masked row, and overwrites that sample's pooled output with a learned empty-set embedding.
"""Set Transformer (ISAB / PMA pooling) over variable-size point sets in the style of juho-lee/set_transformer, with nn.MultiheadAttention and explicit empty-set handling."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MAB(nn.Module):
    def __init__(self, dim, heads, p):
        super().__init__()
        self.mha = nn.MultiheadAttention(dim, heads, dropout=p, batch_first=True)
        self.ln0 = nn.LayerNorm(dim)
        self.ln1 = nn.LayerNorm(dim)
        self.ff = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, dim))

    def forward(self, q, kv, key_padding_mask=None):
        h = self.ln0(q + self.mha(q, kv, kv, key_padding_mask=key_padding_mask, need_weights=False)[0])
        return self.ln1(h + self.ff(h))


class SetTransformer(nn.Module):
    def __init__(self, in_dim=3, dim=32, heads=4, num_seeds=1, out_dim=4, p=0.1):
        super().__init__()
        self.embed = nn.Linear(in_dim, dim)
        self.sab = MAB(dim, heads, p)
        self.seeds = nn.Parameter(torch.randn(1, num_seeds, dim) * 0.1)
        self.pma = MAB(dim, heads, p)
        self.empty_embedding = nn.Parameter(torch.zeros(dim))
        self.drop = nn.Dropout(p)
        self.out = nn.Linear(dim, out_dim)

    def forward(self, points, pad):
        empty = pad.all(dim=1)
        safe_pad = pad & ~empty[:, None]
        x = self.embed(points)
        x = self.sab(x, x, key_padding_mask=safe_pad)
        pooled = self.pma(self.seeds.expand(x.size(0), -1, -1), x, key_padding_mask=safe_pad).squeeze(1)
        pooled = torch.where(empty[:, None], self.empty_embedding.expand_as(pooled), pooled)
        return self.out(self.drop(pooled))


def make_sets(sizes, n_max=6):
    pts = torch.zeros(len(sizes), n_max, 3)
    pad = torch.ones(len(sizes), n_max, dtype=torch.bool)
    for i, n in enumerate(sizes):
        pts[i, :n] = torch.randn(n, 3)
        pad[i, :n] = False
    return pts, pad


def run():
    torch.manual_seed(0)
    model = SetTransformer()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    pts, pad = make_sets([6, 0, 3, 4])
    y = torch.tensor([3, 0, 1, 2])
    model.train()
    loss = F.cross_entropy(model(pts, pad), y)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        pts2, pad2 = make_sets([2, 5, 0])
        logits = model(pts2, pad2)
    return [loss.detach(), *grads, logits]
