"""Column-token transformer that ignores missing cells."""
import torch
import torch.nn as nn


class ColumnEmbedding(nn.Module):
    def __init__(self, n_cols, d):
        super().__init__()
        self.w = nn.Parameter(torch.randn(n_cols, d) * 0.1)
        self.b = nn.Parameter(torch.zeros(n_cols, d))
        self.missing = nn.Parameter(torch.zeros(n_cols, d))

    def forward(self, x, is_missing):
        emb = torch.nan_to_num(x, nan=0.0).unsqueeze(-1) * self.w + self.b
        return torch.where(is_missing.unsqueeze(-1), self.missing.expand_as(emb), emb)


class MaskedColumnAttention(nn.Module):
    def __init__(self, n_cols, d, heads=4):
        super().__init__()
        self.heads = heads
        self.scale = (d // heads) ** -0.5
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.out = nn.Linear(d, d)
        self.pair_bias = nn.Parameter(torch.zeros(heads, n_cols + 1, n_cols + 1))

    def forward(self, tokens, observed):
        b, n, d = tokens.shape
        q, k, v = self.qkv(tokens).reshape(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        logits = torch.einsum("bhid,bhjd->bhij", q, k) * self.scale
        mask_bias = torch.where(observed[:, None, None, :], 0.0, float("-inf"))
        logits = logits + self.pair_bias[:, :n, :n] + mask_bias
        out = torch.einsum("bhij,bhjd->bhid", logits.softmax(-1), v)
        return self.out(out.transpose(1, 2).reshape(b, n, d))


class TabularTransformer(nn.Module):
    def __init__(self, n_cols, d=32, depth=2, n_classes=2):
        super().__init__()
        self.embed = ColumnEmbedding(n_cols, d)
        self.cls = nn.Parameter(torch.zeros(1, 1, d))
        self.layers = nn.ModuleList(
            nn.ModuleList([nn.LayerNorm(d), MaskedColumnAttention(n_cols, d), nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))])
            for _ in range(depth)
        )
        self.head = nn.Linear(d, n_classes)

    def forward(self, x):
        is_missing = x.isnan()
        tokens = torch.cat([self.cls.expand(len(x), -1, -1), self.embed(x, is_missing)], dim=1)
        observed = torch.cat([torch.ones_like(is_missing[:, :1]), ~is_missing], dim=1)
        for norm, attn, mlp in self.layers:
            tokens = tokens + attn(norm(tokens), observed)
            tokens = tokens + mlp(tokens)
        return self.head(tokens[:, 0])
