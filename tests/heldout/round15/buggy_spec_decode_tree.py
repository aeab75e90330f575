"""Tree-structured verification step for speculative decoding (Medusa/EAGLE style).

The draft heads propose a token tree; the target model scores every node in one forward pass.
Each node must see the committed prefix plus its own ancestors in the tree.
"""
from typing import List

import torch
from torch import nn
from torch.nn import functional as F


def tree_ancestry(parents: List[int]) -> torch.Tensor:
    """parents[i] = index of node i's parent (-1 for the root). Returns (n, n) bool: j is i or an ancestor of i."""
    n = len(parents)
    anc = torch.eye(n, dtype=torch.bool)
    for i, p in enumerate(parents):
        while p >= 0:
            anc[i, p] = True
            p = parents[p]
    return anc


def tree_bias(parents: List[int], prefix_len: int, dtype=torch.float32) -> torch.Tensor:
    anc = tree_ancestry(parents)
    n = anc.size(0)
    bias = torch.zeros(n, prefix_len + n, dtype=dtype)
    bias[:, prefix_len:] = bias[:, prefix_len:].masked_fill(anc, float("-inf"))
    return bias


class VerifierAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.h = heads
        self.wq, self.wk, self.wv, self.wo = (nn.Linear(dim, dim, bias=False) for _ in range(4))

    def forward(self, x, past_k, past_v, bias):
        B, n, D = x.shape
        sh = lambda t: t.view(B, -1, self.h, D // self.h).transpose(1, 2)
        q, k, v = sh(self.wq(x)), sh(self.wk(x)), sh(self.wv(x))
        k = torch.cat([past_k, k], 2)
        v = torch.cat([past_v, v], 2)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML103
        return self.wo(out.transpose(1, 2).reshape(B, n, D))


class TreeVerifier(nn.Module):
    def __init__(self, vocab=64, dim=32, heads=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.attn = VerifierAttention(dim, heads)
        self.lm = nn.Linear(dim, vocab)

    @torch.no_grad()
    def verify(self, tree_tokens, parents, past_k, past_v):
        bias = tree_bias(parents, past_k.size(2))
        h = self.emb(tree_tokens)
        return self.lm(h + self.attn(h, past_k, past_v, bias)).argmax(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TreeVerifier()
    parents = [-1, 0, 0, 1, 1, 2]  # root, two children, four grandchildren
    tokens = torch.randint(0, 64, (1, len(parents)))
    past_k, past_v = torch.randn(1, 4, 7, 8), torch.randn(1, 4, 7, 8)
    print("target argmax per node", model.verify(tokens, parents, past_k, past_v).tolist())
