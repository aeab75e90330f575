"""A fine-tuning script that swaps an attention class's forward for a fused-kernel version before
training (`Attention.forward = fast_forward`), done right: the replacement inverts the mask it is
given (True = hidden) for SDPA (True = attend)."""
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
        s = (q @ k.transpose(-1, -2)) / q.size(-1) ** 0.5
        y = s.masked_fill(hide, float("-inf")).softmax(-1) @ v
        return y.transpose(1, 2).flatten(2)


def fast_forward(self, x, hide):
    q, k, v = self.split(x)
    y = F.scaled_dot_product_attention(q, k, v, attn_mask=~hide)
    return y.transpose(1, 2).flatten(2)


def use_fused_kernels():
    Attention.forward = fast_forward


class TinyLM(nn.Module):
    def __init__(self, vocab=50, dim=32):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.attn = Attention(dim)
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids):
        T = ids.size(1)
        future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        return self.head(self.attn(self.tok(ids), future))


def train(ids):
    use_fused_kernels()
    model = TinyLM()
    logits = model(ids[:, :-1])
    return F.cross_entropy(logits.reshape(-1, 50), ids[:, 1:].reshape(-1))
