import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class CellLM(nn.Module):
    def __init__(self, vocab=300, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        b, t = ids.shape
        future = torch.full((t, t), float("-inf")).triu(1)[None, None]
        padding = torch.zeros(ids.shape).masked_fill(ids == PAD, float("-inf"))[:, None, None, :]
        bias = future.maximum(padding)
        q, k, v = self.qkv(self.emb(ids)).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # expect: ML401
        return self.head(y.transpose(1, 2).reshape(b, t, -1))

    def generate(self, ids, n):
        for _ in range(n):
            ids = torch.cat([ids, self(ids)[:, -1:].argmax(-1)], 1)
        return ids


