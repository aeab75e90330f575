"""Speaker embedding model: attention is unmasked inside fixed-length crops; masked_fill is only
used for statistics pooling and for the loss over valid frames."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def valid_frames(lengths, T):
    return torch.arange(T)[None, :] < lengths[:, None]


class CropEncoder(nn.Module):
    """Encodes fixed 2 s crops; every crop is full of speech, so no padding mask is needed."""

    def __init__(self, n_mels=40, d=64):
        super().__init__()
        self.inp = nn.Linear(n_mels, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, 128, batch_first=True), 2, enable_nested_tensor=False)

    def forward(self, crops):
        return self.enc(self.inp(crops))


def attentive_stats_pool(frames, valid, w):
    logits = (frames @ w).masked_fill(~valid, float("-inf"))
    alpha = logits.softmax(-1).unsqueeze(-1)
    mean = (alpha * frames).sum(1)
    std = ((alpha * frames.pow(2)).sum(1) - mean.pow(2)).clamp(min=1e-6).sqrt()
    return torch.cat([mean, std], -1)


def masked_frame_loss(pred, target, valid):
    err = F.mse_loss(pred, target, reduction="none").mean(-1)
    err = err.masked_fill(~valid, 0.0)
    return err.sum() / valid.sum()


if __name__ == "__main__":
    enc = CropEncoder()
    crops = torch.randn(4, 30, 40)
    frames = enc(crops)
    valid = valid_frames(torch.tensor([30, 30, 22, 10]), 30)
    emb = attentive_stats_pool(frames, valid, torch.randn(64))
    print(emb.shape, masked_frame_loss(frames, torch.zeros_like(frames), valid).item())
