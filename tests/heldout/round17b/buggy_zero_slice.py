"""Prefix language model that writes recipe instructions from an ingredient list.

The ingredient prefix is read bidirectionally; instruction tokens are generated
left to right.
"""
import torch
import torch.nn.functional as F
from torch import nn


def prefix_lm_mask(n, prefix_len):
    blocked = torch.zeros(n, n, dtype=torch.bool)
    for i in range(n):
        blocked[i, max(i + 1, prefix_len):] = True
    return blocked


class RecipeWriter(nn.Module):
    def __init__(self, vocab=4000, dim=64, heads=4, layers=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(256, dim)
        self.qkv = nn.ModuleList(nn.Linear(dim, 3 * dim) for _ in range(layers))
        self.proj = nn.ModuleList(nn.Linear(dim, dim) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.out = nn.Linear(dim, vocab)

    def forward(self, ids, prefix_len):
        b, n = ids.shape
        x = self.emb(ids) + self.pos(torch.arange(n, device=ids.device))
        mask = prefix_lm_mask(n, prefix_len).to(ids.device)
        for qkv, proj, norm in zip(self.qkv, self.proj, self.norms):
            q, k, v = qkv(norm(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # expect: ML102
            x = x + proj(y.transpose(1, 2).reshape(b, n, -1))
        return self.out(x)


def loss_on_instructions(model, ids, prefix_len):
    logits = model(ids[:, :-1], prefix_len)
    target = ids[:, 1:].clone()
    target[:, :prefix_len - 1] = -100
    return F.cross_entropy(logits.transpose(1, 2), target, ignore_index=-100)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RecipeWriter()
    ids = torch.randint(1, 4000, (3, 30))
    print(loss_on_instructions(model, ids, prefix_len=8).item())
