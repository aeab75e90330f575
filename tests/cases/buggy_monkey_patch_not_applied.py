"""A patch that may not run is not the method: `Attention.forward = eager_forward` only under a
debug flag, in a function nothing calls, and once more only in a docstring.  The class's own forward (SDPA given a block mask,
True = hidden) is what the model runs by default, and its inverted mask is reported."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)

    def split(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        return [t.view(B, T, self.heads, -1).transpose(1, 2) for t in (q, k, v)]

    def forward(self, x, hide):
        q, k, v = self.split(x)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=hide)
        return y.transpose(1, 2).flatten(2)


def eager_forward(self, x, hide):
    q, k, v = self.split(x)
    s = (q @ k.transpose(-1, -2)) / q.size(-1) ** 0.5
    y = s.masked_fill(hide, float("-inf")).softmax(-1) @ v
    return y.transpose(1, 2).flatten(2)


def debug_attention(enabled):
    if enabled:
        Attention.forward = eager_forward


def use_eager_attention():
    Attention.forward = eager_forward


def use_eager_kernel():
    """To compare with the eager kernel, run this line first:

    Attention.forward = eager_forward
    """


class TinyLM(nn.Module):
    def __init__(self, vocab=50, dim=32):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.attn = Attention(dim)
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids):
        T = ids.size(1)
        future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        return self.head(self.attn(self.tok(ids), future))  # expect: ML102


def train(ids, debug=False):
    debug_attention(debug)
    model = TinyLM()
    logits = model(ids[:, :-1])
    return F.cross_entropy(logits.reshape(-1, 50), ids[:, 1:].reshape(-1))
