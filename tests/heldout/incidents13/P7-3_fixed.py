import torch
import torch.nn as nn


class BucketedSelfAttention(nn.Module):
    """Sorts tokens into fixed-size buckets and attends only within a bucket."""

    def __init__(self, dim=16, bucket_size=4):
        super().__init__()
        self.bucket_size = bucket_size
        self.qk = nn.Linear(dim, dim, bias=False)
        self.v = nn.Linear(dim, dim, bias=False)

    def forward(self, x, pad_mask):
        b, n, d = x.shape
        nb = n // self.bucket_size
        qk = self.qk(x)
        order = torch.argsort(qk[..., 0] + pad_mask.float() * 1e4, dim=-1)
        gather = lambda t: t.gather(1, order[..., None].expand(-1, -1, t.shape[-1]))
        sqk, sv = gather(qk), gather(self.v(x))
        spad = pad_mask.gather(1, order)
        sqk = sqk.view(b, nb, self.bucket_size, d)
        sv = sv.view(b, nb, self.bucket_size, d)
        spad = spad.view(b, nb, 1, self.bucket_size)
        dots = sqk @ sqk.transpose(-1, -2) / d ** 0.5
        dots = dots.masked_fill(spad, torch.finfo(dots.dtype).min)  # BUG
        attn = dots.softmax(-1)
        out = (attn @ sv).view(b, n, d)
        return torch.empty_like(out).scatter_(1, order[..., None].expand(-1, -1, d), out)


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(20, 16)
        self.attn = BucketedSelfAttention()
        self.head = nn.Linear(16, 20)

    def forward(self, ids):
        pad = ids == 0
        return self.head(self.emb(ids) + self.attn(self.emb(ids), pad))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Model()
    ids = torch.tensor([[3, 5, 7, 9, 11, 13, 0, 0, 0, 0, 0, 0], [2, 4, 6, 8, 10, 12, 14, 16, 18, 0, 0, 0]])
    logits = model(ids)
    real = ids != 0
    loss = nn.functional.cross_entropy(logits[real], ids[real])
    loss.backward()
    bad = sum(int(torch.isnan(p.grad).sum()) for p in model.parameters() if p.grad is not None)
    print(f"loss = {loss.item():.4f}; NaN gradient entries = {bad}")
