"""Near-misses of buggy_handwritten_no_mask_at_all.py: bidirectional encoders with hand-written
attention and no mask, a model that masks its scores in a helper, and one that hides the future
after the softmax and renormalises."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PatchAttention(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        attn = (q @ k.transpose(-2, -1)) * self.scale
        attn = attn.softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n, c))


class ViT(nn.Module):
    def __init__(self, dim=64, classes=10):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, 8, 8)
        self.attn = PatchAttention(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, img, labels=None):
        x = self.patch(img).flatten(2).transpose(1, 2)
        logits = self.head(self.attn(x).mean(1))
        return logits if labels is None else F.cross_entropy(logits, labels)


class HelperMasked(nn.Module):
    def __init__(self, d, max_len=256):
        super().__init__()
        self.qkv = nn.Linear(d, 3 * d)
        self.register_buffer("future", torch.triu(torch.ones(max_len, max_len, dtype=torch.bool), 1))

    def hide_future(self, scores):
        t = scores.size(-1)
        return scores.masked_fill(self.future[:t, :t], float("-inf"))

    def forward(self, x):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        scores = q @ k.transpose(-2, -1) / q.size(-1) ** 0.5
        scores = self.hide_future(scores)
        return scores.softmax(-1) @ v


class PostSoftmaxCausal(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x):
        t = x.size(1)
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        w = (q @ k.transpose(-2, -1)).softmax(-1)
        w = w * torch.tril(torch.ones(t, t, device=x.device))
        w = w / w.sum(-1, keepdim=True)
        return w @ v


class TinyLM(nn.Module):
    def __init__(self, vocab=100, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.a = HelperMasked(d)
        self.b = PostSoftmaxCausal(d)
        self.out = nn.Linear(d, vocab)

    def forward(self, ids, targets=None):
        logits = self.out(self.b(self.a(self.emb(ids))))
        if targets is None:
            return logits
        return F.cross_entropy(logits.flatten(0, 1), targets.flatten())


def step(model, ids):
    return model(ids[:, :-1], ids[:, 1:])
