# EXPECT: ok
"""FT-Transformer style tabular classifier; missing features are padded out of attention.

The encoder keeps its nested-tensor fast path for inference.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FeatureTokenizer(nn.Module):
    def __init__(self, n_features, d):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_features, d) * 0.2)
        self.bias = nn.Parameter(torch.zeros(n_features, d))
        self.cls = nn.Parameter(torch.randn(1, 1, d) * 0.2)

    def forward(self, x):
        tok = x.unsqueeze(-1) * self.weight + self.bias
        return torch.cat([self.cls.expand(x.size(0), -1, -1), tok], dim=1)


class TabTransformer(nn.Module):
    def __init__(self, n_features=6, d=16, heads=2, n_classes=3, p=0.1):
        super().__init__()
        self.tokenizer = FeatureTokenizer(n_features, d)
        layer = nn.TransformerEncoderLayer(d, heads, dim_feedforward=32, dropout=p, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=True)
        self.head = nn.Linear(d, n_classes)

    def forward(self, x, missing):
        tokens = self.tokenizer(torch.nan_to_num(x))
        pad = torch.cat([torch.zeros_like(missing[:, :1]), missing], dim=1)  # CLS is never missing
        h = self.encoder(tokens, src_key_padding_mask=pad)
        return self.head(h[:, 0])


def run():
    torch.manual_seed(0)
    model = TabTransformer()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    x = torch.randn(5, 6)
    x[1, 4:] = float("nan")
    x[3, 5] = float("nan")
    missing = torch.isnan(x)
    y = torch.tensor([0, 2, 1, 1, 0])

    model.train()
    loss = F.cross_entropy(model(x, missing), y)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        logits = model(x, missing)
    return [loss.detach(), logits]
