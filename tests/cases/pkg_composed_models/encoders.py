import torch
from torch import nn


def frame_padding(lengths, total):
    return torch.arange(total, device=lengths.device)[None, :] >= lengths[:, None]


class AudioEncoder(nn.Module):
    def __init__(self, feats=40, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.proj = nn.Linear(feats, d_model)
        self.stack = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, 0.0, batch_first=True), layers,
            enable_nested_tensor=False)

    def forward(self, frames, lengths):
        return self.stack(self.proj(frames), src_key_padding_mask=frame_padding(lengths, frames.size(1)))
