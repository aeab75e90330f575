import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def alibi_slopes(n):
    start = 2 ** (-(2 ** -(math.log2(n) - 3)))
    return torch.tensor([start * start ** i for i in range(n)])


class AlibiGPT(nn.Module):
    def __init__(self, vocab=512, dim=64, heads=4, depth=2):
        super().__init__()
        self.heads = heads
        self.tok = nn.Embedding(vocab, dim)
        self.qkv = nn.ModuleList(nn.Linear(dim, 3 * dim) for _ in range(depth))
        self.proj = nn.ModuleList(nn.Linear(dim, dim) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(dim) for _ in range(depth))
        self.head = nn.Linear(dim, vocab)
        self.register_buffer("slopes", alibi_slopes(heads), persistent=False)

    def bias(self, n, device):
        pos = torch.arange(n, device=device)
        alibi = self.slopes[:, None, None] * (pos[None, :] - pos[:, None]).clamp(max=0)
        future = torch.triu(torch.full((n, n), float("-inf"), device=device), diagonal=1)
        return (alibi + future)[None]

    def forward(self, idx):
        b, n = idx.shape
        x = self.tok(idx)
        attn_bias = self.bias(n, idx.device)
        for qkv, proj, norm in zip(self.qkv, self.proj, self.norm):
            q, k, v = qkv(norm(x)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias)
            x = x + proj(y.transpose(1, 2).reshape(b, n, -1))
        return self.head(x)

    def loss(self, idx):
        return F.cross_entropy(self(idx[:, :-1]).flatten(0, 1), idx[:, 1:].flatten())


if __name__ == "__main__":
    print(AlibiGPT().loss(torch.randint(0, 512, (2, 17))).item())
