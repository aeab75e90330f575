import torch
from torch import nn


class SalesForecaster(nn.Module):
    """Next-week demand from a (left-)padded history of weekly sales per store."""

    def __init__(self, n_feat=5, d_model=32, nhead=4, nlayers=2, max_len=52):
        super().__init__()
        self.nhead = nhead
        self.inp = nn.Linear(n_feat, d_model)
        self.week = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, nlayers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, 1)
        self.register_buffer("future", 1 - torch.tril(torch.ones(max_len, max_len)))

    def forward(self, x, pad):
        t = x.size(1)
        blocked = (self.future[:t, :t][None] + pad[:, None, :].float()).bool()
        blocked = blocked & ~torch.eye(t, dtype=torch.bool, device=x.device)
        h = self.inp(x) + self.week.weight[:t]
        h = self.encoder(h, mask=blocked.repeat_interleave(self.nhead, 0))
        return self.head(h).squeeze(-1)


if __name__ == "__main__":
    x = torch.randn(3, 20, 5)
    pad = torch.zeros(3, 20, dtype=torch.bool)
    pad[1, :6] = True
    print(SalesForecaster()(x, pad).shape)
