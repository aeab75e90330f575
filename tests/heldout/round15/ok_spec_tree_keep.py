"""Speculative-decoding tree verification with a boolean visibility mask."""
from typing import List

import torch
from torch import nn
from torch.nn import functional as F


def tree_visibility(parents: List[int], prefix_len: int) -> torch.Tensor:
    """(n, prefix_len + n) bool, True = node may read that key (the prefix and its own ancestors)."""
    n = len(parents)
    vis = torch.zeros(n, prefix_len + n, dtype=torch.bool)
    vis[:, :prefix_len] = True
    for i in range(n):
        j = i
        while j >= 0:
            vis[i, prefix_len + j] = True
            j = parents[j]
    return vis


class TreeAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.wq, self.wk, self.wv, self.wo = (nn.Linear(dim, dim, bias=False) for _ in range(4))

    def forward(self, x, past_k, past_v, visible):
        B, n, D = x.shape
        sh = lambda t: t.view(B, -1, self.h, D // self.h).transpose(1, 2)
        k = torch.cat([past_k, sh(self.wk(x))], 2)
        v = torch.cat([past_v, sh(self.wv(x))], 2)
        out = F.scaled_dot_product_attention(sh(self.wq(x)), k, v, attn_mask=visible)
        return self.wo(out.transpose(1, 2).reshape(B, n, D))


class TreeVerifier(nn.Module):
    def __init__(self, vocab=64, dim=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.attn = TreeAttention(dim, heads)
        self.lm = nn.Linear(dim, vocab)

    @torch.no_grad()
    def verify(self, tree_tokens, parents, past_k, past_v):
        vis = tree_visibility(parents, past_k.size(2))
        h = self.emb(tree_tokens)
        return self.lm(h + self.attn(h, past_k, past_v, vis)).argmax(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    parents = [-1, 0, 0, 1, 1, 2]
    tokens = torch.randint(0, 64, (1, len(parents)))
    pk, pv = torch.randn(1, 4, 7, 8), torch.randn(1, 4, 7, 8)
    print("argmax per node", TreeVerifier().verify(tokens, parents, pk, pv).tolist())
