import torch
import torch.nn as nn


def local_window_mask(seq_len: int, window: int) -> torch.Tensor:
    idx = torch.arange(seq_len)
    dist = idx[None, :] - idx[:, None]
    return (dist > 0) | (dist < -window)


class StreamingEncoder(nn.Module):
    """Causal local-window encoder for streaming speech features."""

    def __init__(self, d_model=32, nhead=4, num_layers=2, window=4):
        super().__init__()
        self.window = window
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, dropout=0.1, batch_first=True)
            for _ in range(num_layers)
        )

    def forward(self, feats):
        mask = local_window_mask(feats.size(1), self.window).to(feats.device)
        x = feats
        for layer in self.layers:
            x = layer(x, src_mask=mask, is_causal=True)  # BUG
        return x


if __name__ == "__main__":
    enc = StreamingEncoder()
    feats = torch.randn(2, 12, 32)
    print(enc(feats).shape)
