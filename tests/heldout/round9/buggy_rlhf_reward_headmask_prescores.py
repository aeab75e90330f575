"""RLHF reward model (causal LM trunk + scalar head) with head pruning via head_mask."""
import math

import torch
import torch.nn as nn


class RewardAttention(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, head_mask=None):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, self.dh).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dh)
        if head_mask is not None:
            scores = scores * head_mask.view(1, -1, 1, 1)  # expect: ML206
        causal = torch.ones(T, T, dtype=torch.bool).tril()
        scores = scores.masked_fill(~causal, float("-inf"))
        probs = scores.softmax(-1)
        ctx = probs @ v  # (B, H, T, dh)
        self.last_ctx = ctx
        return self.o(ctx.transpose(1, 2).reshape(B, T, D))


class RewardModel(nn.Module):
    def __init__(self, vocab=100, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.attn = RewardAttention(d)
        self.value_head = nn.Linear(d, 1)

    def forward(self, ids, head_mask=None):
        h = self.emb(ids)
        h = h + self.attn(h, head_mask)
        return self.value_head(h[:, -1]).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    rm = RewardModel()
    ids = torch.randint(0, 100, (2, 9))
    prune = torch.tensor([1.0, 1.0, 0.0, 1.0])  # prune head 2
    rm(ids, prune)
    pruned = rm.attn.last_ctx[:, 2].abs().max().item()
    print(f"FAILURE SHOWN: 'pruned' head 2 still outputs values up to {pruned:.3g} (uniform attention)")
