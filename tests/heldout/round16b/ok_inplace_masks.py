import torch
import torch.nn as nn
import torch.nn.functional as F


class SDPABlock(nn.Module):
    def __init__(self, dim, heads, block_size):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        keep = torch.ones(block_size, block_size, dtype=torch.bool)
        keep.tril_()
        self.register_buffer("keep", keep, persistent=False)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=self.keep[:t, :t])
        return x + self.proj(y.transpose(1, 2).reshape(b, t, c))


class MHABlock(nn.Module):
    def __init__(self, dim, heads, block_size):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        bias = torch.empty(block_size, block_size).fill_(float("-inf")).triu_(1)
        self.register_buffer("bias", bias, persistent=False)

    def forward(self, x):
        t = x.size(1)
        return x + self.attn(x, x, x, attn_mask=self.bias[:t, :t], need_weights=False)[0]


class HybridLM(nn.Module):
    def __init__(self, vocab=256, dim=64, heads=4, block_size=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(block_size, dim)
        self.blocks = nn.Sequential(SDPABlock(dim, heads, block_size), MHABlock(dim, heads, block_size))
        self.out = nn.Linear(dim, vocab)

    def forward(self, idx):
        x = self.emb(idx) + self.pos(torch.arange(idx.size(1), device=idx.device))
        return self.out(self.blocks(x))


if __name__ == "__main__":
    m = HybridLM()
    d = torch.randint(0, 256, (2, 33))
    print(F.cross_entropy(m(d[:, :-1]).flatten(0, 1), d[:, 1:].flatten()).item())
