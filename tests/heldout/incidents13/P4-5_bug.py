import torch
from torch import nn


class PatchGPT(nn.Module):
    """Autoregressive model over patch tokens of a time series (predict the next patch)."""

    def __init__(self, patch_len=4, d_model=32, nhead=4, num_layers=2):
        super().__init__()
        self.patch_len = patch_len
        self.embed = nn.Linear(patch_len, d_model)
        self.pos = nn.Parameter(torch.randn(1, 64, d_model) * 0.02)
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True) for _ in range(num_layers)
        ])
        self.head = nn.Linear(d_model, patch_len)

    def forward(self, series):
        b, t = series.shape
        x = self.embed(series.view(b, t // self.patch_len, self.patch_len))
        x = x + self.pos[:, : x.size(1)]
        n = x.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(n)
        for layer in self.layers:
            x = layer(x, is_causal=True)  # BUG
        return self.head(x).view(b, t)


@torch.no_grad()
def forecast(model, history, n_patches):
    for _ in range(n_patches):
        nxt = model(history)[:, -model.patch_len:]
        history = torch.cat([history, nxt], dim=1)
    return history


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PatchGPT().eval()
    series = torch.randn(2, 32)
    with torch.no_grad():
        out = model(series)
        s2 = series.clone()
        s2[:, 16:] = torch.randn(2, 16)
        leak = (model(s2)[:, :16] - out[:, :16]).abs().max().item()
        preds = forecast(model, series[:, :16], 2)
    print(f"eval future leak: max |d pred[:, :16]| after editing steps 16.. = {leak:.4f}")
