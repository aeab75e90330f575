"""FT-Transformer with missing numeric features: a bool key_padding_mask (True = missing)
keeps NaN features out of attention; the [CLS] token is never masked, so no row is empty."""
import torch
import torch.nn as nn


class FTTransformer(nn.Module):
    def __init__(self, n_feat=5, d=16, heads=2):
        super().__init__()
        self.w = nn.Parameter(torch.randn(n_feat, d) * 0.1)
        self.b = nn.Parameter(torch.zeros(n_feat, d))
        self.cls = nn.Parameter(torch.randn(1, 1, d))
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.head = nn.Linear(d, 1)

    def forward(self, x):
        N = x.size(0)
        missing = torch.isnan(x)
        tok = torch.nan_to_num(x)[..., None] * self.w + self.b
        tok = torch.cat([self.cls.expand(N, -1, -1), tok], 1)
        kpm = torch.cat([torch.zeros(N, 1, dtype=torch.bool), missing], 1)
        out, _ = self.attn(tok, tok, tok, key_padding_mask=kpm)
        return self.head(out[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = FTTransformer()
    x = torch.randn(4, 5)
    x[1, [0, 3]] = float("nan")
    x[2, :] = float("nan")            # a row with every feature missing still has [CLS]
    with torch.no_grad():
        y = model(x)
        # change the token content of features 0 and 3: row 1 (where they are missing) must not move
        model.b[0] += 5.0
        model.b[3] -= 5.0
        y2 = model(x)
    assert not torch.isnan(y).any()
    assert torch.allclose(y[1], y2[1], atol=1e-6), "missing feature leaked"
    assert not torch.allclose(y[0], y2[0]), "observed features should matter"
    print("OK: no NaN, missing features never attended")
