import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def get_slopes(n_heads):
    start = 2 ** (-(2 ** -(math.log2(n_heads) - 3)))
    return torch.tensor([start * (start ** i) for i in range(n_heads)])


class AlibiSelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.proj = nn.Linear(dim, dim)
        self.register_buffer("slopes", get_slopes(heads), persistent=False)

    def forward(self, x, attn_bias):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_bias)
        return self.proj(out.transpose(1, 2).reshape(b, n, d))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = AlibiSelfAttention(dim, heads)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, bias):
        x = x + self.attn(self.ln1(x), bias)
        return x + self.mlp(self.ln2(x))


class AlibiLM(nn.Module):
    def __init__(self, vocab=512, dim=64, heads=4, depth=2):
        super().__init__()
        self.heads = heads
        self.tok = nn.Embedding(vocab, dim)
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])
        self.ln_f = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, vocab, bias=False)
        self.register_buffer("slopes", get_slopes(heads), persistent=False)

    def build_bias(self, n, device):
        pos = torch.arange(n, device=device)
        rel = (pos[None, :] - pos[:, None]).clamp(max=0).float()
        alibi = self.slopes[:, None, None] * rel[None]
        future = torch.triu(torch.full((n, n), float("-inf"), device=device), diagonal=0)  # expect: ML404
        return (alibi + future).unsqueeze(0)

    def forward(self, idx, targets=None):
        x = self.tok(idx)
        bias = self.build_bias(idx.size(1), idx.device)
        for blk in self.blocks:
            x = blk(x, bias)
        logits = self.head(self.ln_f(x))
        if targets is None:
            return logits
        return logits, F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), targets[:, 1:].reshape(-1))

    @torch.no_grad()
    def generate(self, idx, steps):
        for _ in range(steps):
            nxt = self(idx)[:, -1].argmax(-1, keepdim=True)
            idx = torch.cat([idx, nxt], dim=1)
        return idx


if __name__ == "__main__":
    model = AlibiLM()
    seq = torch.randint(0, 512, (2, 16))
    print(model(seq, seq)[1].item(), model.generate(seq[:, :4], 4).shape)
