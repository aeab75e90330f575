"""Bucketed (LSH-style) attention: tokens are hashed into buckets, sorted, chunked, and each
chunk attends only to tokens of the same bucket. Padding tokens are never attended."""
import torch
import torch.nn as nn


class BucketedSelfAttention(nn.Module):
    def __init__(self, dim=16, heads=2, n_buckets=4, chunk_size=4):
        super().__init__()
        self.n_buckets = n_buckets
        self.chunk_size = chunk_size
        self.rotations = nn.Parameter(torch.randn(dim, n_buckets // 2), requires_grad=False)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def hash(self, x):
        rotated = x @ self.rotations
        return torch.cat([rotated, -rotated], dim=-1).argmax(-1)  # (b, n)

    def forward(self, x, pad_mask):
        """x: (b, n, dim); pad_mask: (b, n) True on padding. n must be a multiple of chunk_size."""
        b, n, d = x.shape
        buckets = self.hash(x).masked_fill(pad_mask, self.n_buckets)  # pads sort last
        order = buckets.argsort(dim=-1, stable=True)
        xs = x.gather(1, order[..., None].expand(-1, -1, d))
        bs = buckets.gather(1, order)
        ps = pad_mask.gather(1, order)

        c = self.chunk_size
        xs = xs.view(b * n // c, c, d)
        bs = bs.view(b * n // c, c)
        ps = ps.view(b * n // c, c)
        other_bucket = bs[:, :, None] != bs[:, None, :]
        attn_mask = (other_bucket | ps[:, None, :]) & ~torch.eye(c, dtype=torch.bool)
        attn_mask = attn_mask.repeat_interleave(self.attn.num_heads, dim=0)
        out, _ = self.attn(xs, xs, xs, attn_mask=attn_mask)

        out = out.reshape(b, n, d)
        return torch.empty_like(out).scatter_(1, order[..., None].expand(-1, -1, d), out)


class BucketedEncoder(nn.Module):
    def __init__(self, vocab=40, dim=16):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.attn = BucketedSelfAttention(dim)
        self.head = nn.Linear(dim, 2)

    def forward(self, tokens, pad_mask):
        h = self.emb(tokens)
        h = h + self.attn(h, pad_mask)
        keep = (~pad_mask).unsqueeze(-1).float()
        return self.head((h * keep).sum(1) / keep.sum(1))
