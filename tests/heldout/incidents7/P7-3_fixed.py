"""Bucketed (hash-routed) cross-attention in the style of a user model built on
nn.MultiheadAttention: queries may only attend keys routed to the same bucket (cf. pytorch issue 41508)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BucketRouter(nn.Module):
    def __init__(self, dim, n_buckets):
        super().__init__()
        self.register_buffer("planes", torch.randn(dim, n_buckets))

    def forward(self, x):
        return (x @ self.planes).argmax(-1)


class BucketedCrossAttention(nn.Module):
    def __init__(self, dim=32, heads=4, n_buckets=4):
        super().__init__()
        self.heads = heads
        self.router = BucketRouter(dim, n_buckets)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)

    def forward(self, queries, memory):
        qb, kb = self.router(queries), self.router(memory)
        blocked = qb[:, :, None] != kb[:, None, :]
        empty = blocked.all(-1)
        blocked = blocked & ~empty[..., None]
        attn_mask = blocked.repeat_interleave(self.heads, dim=0)
        out, weights = self.attn(queries, memory, memory, attn_mask=attn_mask, need_weights=True)
        out = out.masked_fill(empty[..., None], 0.0)
        return self.norm(queries + out)


class Retriever(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.q_enc = nn.Linear(16, dim)
        self.m_enc = nn.Linear(16, dim)
        self.layer = BucketedCrossAttention(dim)
        self.score = nn.Linear(dim, 1)

    def forward(self, q_feats, m_feats):
        h = self.layer(self.q_enc(q_feats), self.m_enc(m_feats))
        return self.score(h).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Retriever()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    q_feats, m_feats = torch.randn(4, 10, 16), torch.randn(4, 6, 16)
    target = torch.rand(4, 10)
    loss = F.mse_loss(model(q_feats, m_feats), target)
    opt.zero_grad()
    loss.backward()
    grad_ok = all(torch.isfinite(p.grad).all() for p in model.parameters() if p.grad is not None)
    opt.step()
    print("loss", loss.item(), "finite grads", grad_ok)
