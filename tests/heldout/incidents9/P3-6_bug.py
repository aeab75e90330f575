import torch
import torch.nn as nn


def lengths_to_padding_mask(lengths, max_len):
    """Returns a (max_len, batch) bool mask, True at padded time steps."""
    steps = torch.arange(max_len).unsqueeze(1)  # (S, 1)
    return steps >= lengths.unsqueeze(0)  # BUG


class FrameEncoder(nn.Module):
    def __init__(self, d_model=32, nhead=4, num_layers=2):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=64, dropout=0.0)
        self.encoder = nn.TransformerEncoder(layer, num_layers=num_layers, enable_nested_tensor=False)

    def forward(self, frames, lengths):
        # frames: (S, N, E), sequence-first like the rest of the pipeline
        src_key_padding_mask = lengths_to_padding_mask(lengths, frames.size(0))
        out = self.encoder(src=frames, src_key_padding_mask=src_key_padding_mask)
        # mean over the valid frames of each clip -> (N, E)
        valid = (torch.arange(frames.size(0)).unsqueeze(1) < lengths.unsqueeze(0)).unsqueeze(-1)
        return out, (out * valid).sum(0) / valid.sum(0)


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = FrameEncoder()
    frames = torch.randn(20, 3, 32)  # S=20 frames, N=3 clips
    lengths = torch.tensor([20, 14, 9])
    out, pooled = enc(frames, lengths)
    print(out.shape, pooled.shape)
    print("finite:", torch.isfinite(pooled).all().item())
