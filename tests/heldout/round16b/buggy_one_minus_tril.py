import torch
from torch import nn


class StockReturnModel(nn.Module):
    """Next-day return prediction from a window of daily features."""

    def __init__(self, n_feat=8, d_model=32, nhead=4, nlayers=2, window=30):
        super().__init__()
        self.input_proj = nn.Linear(n_feat, d_model)
        self.day_embed = nn.Embedding(window, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, nlayers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, 1)
        future = 1 - torch.tril(torch.ones(window, window))
        self.register_buffer("future", future)

    def forward(self, x):
        t = x.size(1)
        h = self.input_proj(x) + self.day_embed.weight[:t]
        h = self.encoder(h, mask=self.future[:t, :t])  # expect: ML202
        return self.head(h).squeeze(-1)


def fit(model, x, y, epochs=3):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        pred = model(x)
        loss = nn.functional.mse_loss(pred[:, :-1], y[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss.item()


if __name__ == "__main__":
    x = torch.randn(16, 30, 8)
    y = x[..., 0]
    print(fit(StockReturnModel(), x, y))
