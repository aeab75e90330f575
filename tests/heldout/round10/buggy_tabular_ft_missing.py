"""Feature-tokenizer transformer for tabular data with missing numeric values (FT-Transformer-like)."""
import torch
import torch.nn as nn


class FeatureTokenizer(nn.Module):
    def __init__(self, n_num, cat_cardinalities, d):
        super().__init__()
        self.num_weight = nn.Parameter(torch.randn(n_num, d) * 0.02)
        self.num_bias = nn.Parameter(torch.zeros(n_num, d))
        self.cat_embs = nn.ModuleList(nn.Embedding(c + 1, d) for c in cat_cardinalities)
        self.cls = nn.Parameter(torch.zeros(1, 1, d))

    def forward(self, x_num, x_cat):
        x_num = torch.nan_to_num(x_num, nan=0.0)
        num_tok = x_num.unsqueeze(-1) * self.num_weight + self.num_bias
        cat_tok = torch.stack([emb(x_cat[:, i]) for i, emb in enumerate(self.cat_embs)], dim=1)
        cls = self.cls.expand(x_num.size(0), -1, -1)
        return torch.cat([cls, num_tok, cat_tok], dim=1)


class FTTransformer(nn.Module):
    def __init__(self, n_num, cat_cardinalities, d=32, heads=4, depth=3, n_out=1):
        super().__init__()
        self.tokenizer = FeatureTokenizer(n_num, cat_cardinalities, d)
        layer = nn.TransformerEncoderLayer(d, heads, dim_feedforward=int(d * 4 / 3), dropout=0.1,
                                           activation="gelu", batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.head = nn.Sequential(nn.LayerNorm(d), nn.ReLU(), nn.Linear(d, n_out))
        self.n_cat = len(cat_cardinalities)

    def missing_tokens(self, x_num, x_cat):
        b = x_num.size(0)
        num_missing = torch.isnan(x_num).long()
        cat_missing = (x_cat == 0).long()
        cls = torch.zeros(b, 1, dtype=torch.long, device=x_num.device)
        return torch.cat([cls, num_missing, cat_missing], dim=1)

    def forward(self, x_num, x_cat):
        tokens = self.tokenizer(x_num, x_cat)
        missing = self.missing_tokens(x_num, x_cat)
        h = self.encoder(tokens, src_key_padding_mask=missing)  # expect: ML203
        return self.head(h[:, 0]).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    n, n_num, cards = 8, 6, [3, 10, 4]
    x_num = torch.randn(n, n_num)
    x_num[torch.rand(n, n_num) < 0.15] = float("nan")
    x_cat = torch.stack([torch.randint(0, c + 1, (n,)) for c in cards], dim=1)
    y = torch.randn(n)
    model = FTTransformer(n_num, cards)
    pred = model(x_num, x_cat)
    loss = nn.functional.mse_loss(pred, y)
    loss.backward()
    print(pred.shape, loss.item())
