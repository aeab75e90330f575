import torch
import torch.nn as nn


def sliding_window_mask(seq_len: int, left: int, right: int, device=None) -> torch.Tensor:
    """Bool (L, L) mask, True = blocked, allowing `left` past and `right` future frames."""
    idx = torch.arange(seq_len, device=device)
    rel = idx[None, :] - idx[:, None]
    return (rel < -left) | (rel > right)


class ChunkedConformerLite(nn.Module):
    def __init__(self, n_mels: int = 80, d_model: int = 256, nhead: int = 4, num_layers: int = 6,
                 left_context: int = 32, right_context: int = 4):
        super().__init__()
        self.left_context = left_context
        self.right_context = right_context
        self.subsample = nn.Sequential(
            nn.Conv1d(n_mels, d_model, kernel_size=3, stride=2, padding=1), nn.GELU(),
            nn.Conv1d(d_model, d_model, kernel_size=3, stride=2, padding=1), nn.GELU(),
        )
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)

    def forward(self, feats: torch.Tensor, frame_pad: torch.Tensor) -> torch.Tensor:
        x = self.subsample(feats.transpose(1, 2)).transpose(1, 2)
        T = x.size(1)
        pad = frame_pad[:, ::4][:, :T]
        window = sliding_window_mask(T, self.left_context, self.right_context, x.device)
        return self.encoder(
            x,
            mask=window,
            src_key_padding_mask=pad,
            is_causal=False,
        )


if __name__ == "__main__":
    enc = ChunkedConformerLite()
    feats = torch.randn(2, 400, 80)
    frame_pad = torch.zeros(2, 400, dtype=torch.bool)
    frame_pad[1, 300:] = True
    print(enc(feats, frame_pad).shape)
