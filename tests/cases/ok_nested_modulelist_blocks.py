"""Near-misses of buggy_nested_modulelist_blocks.py: the same ModuleList-of-ModuleLists blocks
given keep masks (True = attend), as SDPA reads them."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)

    def forward(self, x, mask=None):
        b, n, d = x.shape
        q, k, v = (t.view(b, n, self.heads, -1).transpose(1, 2) for t in self.to_qkv(x).chunk(3, dim=-1))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return out.transpose(1, 2).reshape(b, n, d)


class FeedForward(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim, dim * 4), nn.GELU(), nn.Linear(dim * 4, dim))

    def forward(self, x):
        return self.net(x)


class AppendedBlocks(nn.Module):
    def __init__(self, vocab=50, dim=32, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList([])
        for _ in range(depth):
            self.layers.append(nn.ModuleList([Attention(dim), FeedForward(dim)]))

    def forward(self, ids):
        x = self.emb(ids)
        keep = (ids != 0)[:, None, None, :]
        for attn, ff in self.layers:
            x = x + attn(x, keep)
            x = x + ff(x)
        return x


class GeneratedBlocks(nn.Module):
    def __init__(self, dim=32, depth=2):
        super().__init__()
        self.layers = nn.ModuleList(
            nn.ModuleList([nn.LayerNorm(dim), Attention(dim), nn.LayerNorm(dim), FeedForward(dim)])
            for _ in range(depth)
        )

    def forward(self, x, lengths):
        pad = torch.arange(x.size(1), device=x.device)[None, :] >= lengths[:, None]
        for ln1, attn, ln2, ff in self.layers:
            x = x + attn(ln1(x), mask=~pad[:, None, None, :])
            x = x + ff(ln2(x))
        return x


class ComprehendedBlocks(nn.Module):
    def __init__(self, dim=32, depth=2):
        super().__init__()
        self.blocks = nn.ModuleList([nn.ModuleList([Attention(dim), nn.Linear(dim, dim)]) for _ in range(depth)])

    def forward(self, x, seq_len):
        t = x.size(1)
        past = torch.tril(torch.ones(t, t, dtype=torch.bool, device=x.device))
        for attn, proj in self.blocks:
            x = proj(x + attn(x, past))
        return x
