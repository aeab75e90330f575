"""Character-level query autocompletion model for a search box."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CharAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.c_attn = nn.Linear(dim, 3 * dim)
        self.c_proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(x).split(c, dim=2)
        q = q.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        k = k.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        v = v.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=0.0)  # expect: ML401
        return self.c_proj(y.transpose(1, 2).contiguous().view(b, t, c))


class QueryCompleter(nn.Module):
    def __init__(self, n_chars=128, dim=64, heads=4, depth=2, block=48):
        super().__init__()
        self.wte = nn.Embedding(n_chars, dim)
        self.wpe = nn.Embedding(block, dim)
        self.attn = nn.ModuleList(CharAttention(dim, heads) for _ in range(depth))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim)) for _ in range(depth))
        self.ln = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, n_chars, bias=False)

    def forward(self, idx, targets=None):
        pos = torch.arange(idx.size(1), device=idx.device)
        x = self.wte(idx) + self.wpe(pos)
        for attn, mlp in zip(self.attn, self.mlp):
            x = x + attn(x)
            x = x + mlp(x)
        logits = self.lm_head(self.ln(x))
        loss = None if targets is None else F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
        return logits, loss

    @torch.no_grad()
    def complete(self, prefix, n_new=10):
        for _ in range(n_new):
            logits, _ = self(prefix)
            prefix = torch.cat([prefix, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
        return prefix
