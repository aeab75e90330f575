import torch
import torch.nn as nn


class AudioEventEncoder(nn.Module):
    def __init__(self, n_mels=64, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.proj = nn.Linear(n_mels, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, mels, mel_lengths):
        frames = torch.arange(mels.size(1), device=mels.device)
        pad = frames[None, :] >= mel_lengths[:, None]
        return self.encoder(self.proj(mels), src_key_padding_mask=pad), pad
