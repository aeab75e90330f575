"""Speculative decoding with tree attention (Medusa / SpecInfer style).

The draft model proposes a token tree; the target model verifies all tree nodes
in one forward pass on top of its KV cache.  Node i may attend to the whole
prefix and to its ancestors (and itself) in the tree.  The full mask is passed
explicitly to SDPA (True = attend); is_causal is NOT used since the tree mask
is not a plain lower-triangular matrix."""
from typing import List

import torch
import torch.nn as nn
import torch.nn.functional as F


def tree_keep_mask(parents: List[int], prefix_len: int) -> torch.Tensor:
    n = len(parents)
    anc = torch.eye(n, dtype=torch.bool)
    for i, p in enumerate(parents):
        if p >= 0:
            anc[i] |= anc[p]
    return torch.cat([torch.ones(n, prefix_len, dtype=torch.bool), anc], 1)  # (n, prefix + n)


def tree_depths(parents):
    d = []
    for p in parents:
        d.append(0 if p < 0 else d[p] + 1)
    return torch.tensor(d)


class TargetLM(nn.Module):
    def __init__(self, vocab=128, d=64, h=4):
        super().__init__()
        self.h = h
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(256, d)
        self.qkv, self.o = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.ln, self.head = nn.LayerNorm(d), nn.Linear(d, vocab)

    def forward(self, ids, positions, keep, cache=None):
        B, T = ids.shape
        x = self.tok(ids) + self.pos(positions)
        q, k, v = self.qkv(self.ln(x)).view(B, T, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        if cache is not None:
            k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        return self.head(x + self.o(y.transpose(1, 2).reshape(B, T, -1))), (k, v)


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = TargetLM().eval()
    prefix = torch.randint(0, 128, (1, 9))
    P = prefix.size(1)
    with torch.no_grad():
        causal = torch.ones(P, P, dtype=torch.bool).tril()
        _, cache = lm(prefix, torch.arange(P)[None], causal)
        # tree:   0 -> 1 -> 3 ;  0 -> 2 -> 4 ; 2 -> 5
        parents = [-1, 0, 0, 1, 2, 2]
        nodes = torch.randint(0, 128, (1, len(parents)))
        pos = P + tree_depths(parents)[None]
        tree_logits, _ = lm(nodes, pos, tree_keep_mask(parents, P), cache)
        for leaf, path in {3: [0, 1, 3], 4: [0, 2, 4], 5: [0, 2, 5]}.items():
            seq = torch.cat([prefix, nodes[:, path]], 1)
            L = seq.size(1)
            ref, _ = lm(seq, torch.arange(L)[None], torch.ones(L, L, dtype=torch.bool).tril())
            assert torch.allclose(tree_logits[0, path], ref[0, P:], atol=1e-5), leaf
    print("OK: tree mask verifies every branch exactly like sequential decoding")
