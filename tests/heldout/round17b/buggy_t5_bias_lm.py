"""Clause-completion language model for contract drafting.

Uses a learned, bucketed relative-position bias (T5 style, one direction only)
instead of absolute position embeddings.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn


class ClauseLM(nn.Module):
    def __init__(self, vocab=500, dim=64, heads=4, num_buckets=16, max_distance=64):
        super().__init__()
        self.heads, self.num_buckets, self.max_distance = heads, num_buckets, max_distance
        self.tok = nn.Embedding(vocab, dim)
        self.rel_bias = nn.Embedding(num_buckets, heads)
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.ReLU(), nn.Linear(4 * dim, dim))
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def bucket(self, rel):
        n = (-rel).clamp(min=0)
        exact = self.num_buckets // 2
        scaled = torch.log(n.float() / exact + 1e-6) / math.log(self.max_distance / exact)
        large = (exact + scaled * (self.num_buckets - exact)).long()
        large = large.clamp(max=self.num_buckets - 1)
        return torch.where(n < exact, n, large)

    def forward(self, ids):
        b, n = ids.shape
        x = self.tok(ids)
        pos = torch.arange(n, device=ids.device)
        rel = pos[None, :] - pos[:, None]
        bias = self.rel_bias(self.bucket(rel)).permute(2, 0, 1)
        visible = torch.tril(torch.ones(n, n, device=ids.device))
        attn_bias = visible + bias
        q, k, v = (t.view(b, n, self.heads, -1).transpose(1, 2)
                   for t in self.qkv(x).chunk(3, dim=-1))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias)  # expect: ML202
        x = x + self.o(y.transpose(1, 2).reshape(b, n, -1))
        x = x + self.mlp(x)
        return self.lm_head(x)


def train_step(model, opt, ids):
    logits = model(ids[:, :-1])
    loss = F.cross_entropy(logits.flatten(0, 1), ids[:, 1:].flatten())
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ClauseLM()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    batch = torch.randint(0, 500, (4, 33))
    for _ in range(5):
        print(train_step(model, opt, batch))
