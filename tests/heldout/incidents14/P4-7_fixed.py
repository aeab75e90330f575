import torch
import torch.nn as nn


def sliding_window_causal_mask(seq_len, window, device=None):
    """Float mask: each position sees itself and the previous `window - 1` positions."""
    i = torch.arange(seq_len, device=device)[:, None]
    j = torch.arange(seq_len, device=device)[None, :]
    allowed = (j <= i) & (i - j < window)
    return torch.zeros(seq_len, seq_len, device=device).masked_fill(~allowed, float("-inf"))


class LocalAttentionEncoder(nn.Module):
    def __init__(self, d_model=8, nhead=2, num_layers=1, window=2):
        super().__init__()
        self.window = window
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=16, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=num_layers, enable_nested_tensor=False)

    def forward(self, x):
        mask = sliding_window_causal_mask(x.size(1), self.window, x.device)
        return self.encoder(x, mask=mask, is_causal=False)  # BUG


if __name__ == "__main__":
    torch.manual_seed(0)
    model = LocalAttentionEncoder()
    model.train()
    x = torch.randn(2, 6, 8)
    edited = x.clone()
    edited[:, 0] = torch.randn(2, 8)
    spill = (model(x) - model(edited))[:, 5].abs().max().item()
    print(f"position 5 sensitivity to token 0 (outside its 2-token window): {spill:.4f}")
