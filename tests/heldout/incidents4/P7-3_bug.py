import torch
import torch.nn.functional as F


def sort_into_buckets(x, n_buckets, rotations):
    rotated = torch.einsum("bnd,dr->bnr", F.normalize(x, dim=-1), rotations)
    buckets = torch.cat([rotated, -rotated], dim=-1).argmax(dim=-1) % n_buckets
    order = buckets.argsort(dim=-1, stable=True)
    return buckets, order


def gather_rows(t, idx):
    return t.gather(1, idx.unsqueeze(-1).expand(-1, -1, t.size(-1)))


def bucketed_attention(qk, v, pad_mask, n_buckets, chunk, rotations):
    b, n, d = qk.shape
    buckets, order = sort_into_buckets(qk, n_buckets, rotations)
    s_qk, s_v = gather_rows(qk, order), gather_rows(v, order)
    s_pad = pad_mask.gather(1, order)
    s_bkt = buckets.gather(1, order)

    c = n // chunk
    q = s_qk.view(b, c, chunk, d)
    k = F.normalize(q, dim=-1)
    vv = s_v.view(b, c, chunk, -1)
    scores = torch.einsum("bcid,bcjd->bcij", q, k) * d ** -0.5

    key_pad = s_pad.view(b, c, 1, chunk)
    other_bucket = s_bkt.view(b, c, chunk, 1) != s_bkt.view(b, c, 1, chunk)
    masked = key_pad | other_bucket
    scores = scores.masked_fill(masked, float("-inf"))  # BUG
    attn = scores.softmax(dim=-1)  # BUG
    out = torch.einsum("bcij,bcjd->bcid", attn, vv).reshape(b, n, -1)

    undo = order.argsort(dim=-1)
    return gather_rows(out, undo)


class LSHSelfAttention(torch.nn.Module):
    def __init__(self, dim, n_buckets=4, chunk=8):
        super().__init__()
        self.n_buckets, self.chunk = n_buckets, chunk
        self.to_qk = torch.nn.Linear(dim, dim, bias=False)
        self.to_v = torch.nn.Linear(dim, dim, bias=False)
        self.to_out = torch.nn.Linear(dim, dim)
        self.register_buffer("rotations", torch.randn(dim, n_buckets // 2))

    def forward(self, x, pad_mask):
        out = bucketed_attention(self.to_qk(x), self.to_v(x), pad_mask, self.n_buckets, self.chunk, self.rotations)
        return self.to_out(out)
