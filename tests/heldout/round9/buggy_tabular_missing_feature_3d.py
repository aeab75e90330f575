"""Tabular transformer (FT-Transformer style) with missing-value aware attention.
Each numeric feature becomes a token; missing features may not be attended to.
A [CLS] token is prepended and is never missing."""
import torch
import torch.nn as nn


class FeatureTokenizer(nn.Module):
    def __init__(self, n_feat, d):
        super().__init__()
        self.w = nn.Parameter(torch.randn(n_feat, d) * 0.1)
        self.b = nn.Parameter(torch.zeros(n_feat, d))
        self.cls = nn.Parameter(torch.zeros(1, 1, d))

    def forward(self, x):
        tok = torch.nan_to_num(x)[..., None] * self.w + self.b
        return torch.cat([self.cls.expand(x.size(0), -1, -1), tok], dim=1)


class MissingAwareBlock(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm = nn.LayerNorm(d)

    def forward(self, tokens, missing):
        # missing: (N, F+1) True = feature value is NaN
        F1 = tokens.size(1)
        block = missing[:, None, :].expand(-1, F1, -1)  # (N, F+1, F+1)
        h = self.norm(tokens)
        out, _ = self.attn(h, h, h, attn_mask=block)  # expect: ML301
        return tokens + out


class FTTransformer(nn.Module):
    def __init__(self, n_feat=5, d=16, heads=2):
        super().__init__()
        self.tok = FeatureTokenizer(n_feat, d)
        self.block = MissingAwareBlock(d, heads)
        self.head = nn.Linear(d, 1)

    def forward(self, x):
        missing = torch.cat([torch.zeros(x.size(0), 1, dtype=torch.bool), torch.isnan(x)], 1)
        h = self.block(self.tok(x), missing)
        return self.head(h[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    x = torch.randn(3, 5)
    x[0, 2] = float("nan")
    x[2, 4] = float("nan")
    try:
        print(FTTransformer()(x).shape, "ran")
    except (RuntimeError, AssertionError) as e:
        print("FAILURE SHOWN:", str(e)[:100])
