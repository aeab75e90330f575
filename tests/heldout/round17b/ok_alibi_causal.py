"""Podcast-transcript language model with ALiBi attention biases."""
import math

import torch
import torch.nn.functional as F
from torch import nn


def alibi(heads, n, device=None):
    ratio = 2 ** (-8 / heads)
    slopes = torch.tensor([ratio ** (h + 1) for h in range(heads)], device=device)
    pos = torch.arange(n, device=device)
    distance = (pos[None, :] - pos[:, None]).clamp(max=0).float()
    return slopes[:, None, None] * distance


class TranscriptLM(nn.Module):
    def __init__(self, vocab=8000, dim=64, heads=8, layers=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, dim)
        self.blocks = nn.ModuleList(nn.ModuleDict({
            "ln": nn.LayerNorm(dim), "qkv": nn.Linear(dim, 3 * dim), "o": nn.Linear(dim, dim),
            "ff": nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim)),
        }) for _ in range(layers))
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids):
        b, n = ids.shape
        d = self.emb.embedding_dim
        x = self.emb(ids) * math.sqrt(d)
        hide_future = torch.triu(torch.full((n, n), float("-inf"), device=ids.device), diagonal=1)
        bias = alibi(self.heads, n, ids.device) + hide_future
        for blk in self.blocks:
            q, k, v = blk["qkv"](blk["ln"](x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
            x = x + blk["o"](y.transpose(1, 2).reshape(b, n, d))
            x = x + blk["ff"](x)
        return self.head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TranscriptLM()
    ids = torch.randint(0, 8000, (2, 48))
    loss = F.cross_entropy(model(ids[:, :-1]).transpose(1, 2), ids[:, 1:])
    loss.backward()
    print(loss.item())
