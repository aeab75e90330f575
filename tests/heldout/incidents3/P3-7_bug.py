import torch
import torch.nn as nn


def lengths_to_padding_mask(lengths: torch.Tensor, max_len: int) -> torch.Tensor:
    """True at padded frames."""
    steps = torch.arange(max_len, device=lengths.device)[:, None]  # BUG
    return steps >= lengths[None, :]  # BUG


class FrameEncoder(nn.Module):
    """Acoustic encoder over (T, B, C) filterbank frames."""

    def __init__(self, n_mels: int = 40, d_model: int = 64, nhead: int = 4, num_layers: int = 2):
        super().__init__()
        self.subsample = nn.Linear(n_mels, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=4 * d_model, dropout=0.1)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.ctc_head = nn.Linear(d_model, 32)

    def forward(self, feats: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        x = self.subsample(feats)
        pad = lengths_to_padding_mask(lengths, feats.size(0))
        x = self.encoder(x, src_key_padding_mask=pad)
        return self.ctc_head(x).log_softmax(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    T, B = 6, 3
    feats = torch.randn(T, B, 40)
    lengths = torch.tensor([6, 4, 5])
    model = FrameEncoder()
    log_probs = model(feats, lengths)
    print("log_probs:", tuple(log_probs.shape))
