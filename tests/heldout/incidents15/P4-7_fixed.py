import torch
import torch.nn as nn


def sliding_window_mask(seq_len, window):
    """True = blocked: future positions and positions more than `window` steps back."""
    i = torch.arange(seq_len)[:, None]
    j = torch.arange(seq_len)[None, :]
    return (j > i) | (i - j >= window)


class LocalCausalEncoder(nn.Module):
    def __init__(self, d_model=16, nhead=2, num_layers=1, window=2):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.window = window

    def forward(self, x):
        mask = sliding_window_mask(x.size(1), self.window)
        return self.encoder(x, mask=mask, is_causal=False)  # BUG


if __name__ == "__main__":
    torch.manual_seed(0)
    model = LocalCausalEncoder().train()
    x = torch.randn(2, 8, 16)
    out = model(x)
    x2 = x.clone()
    x2[:, :4] = torch.randn(2, 4, 16)
    out2 = model(x2)
    print(f"position 7 influenced by positions 0-3 (outside window): {(out[:, 7] - out2[:, 7]).abs().max().item():.4f}")
