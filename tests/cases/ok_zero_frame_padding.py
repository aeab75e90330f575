"""Twin of buggy_zero_frame_padding: the padding mask taken in the batch-first layout, as padding."""
import torch
import torch.nn as nn


class AudioEncoder(nn.Module):
    def __init__(self, n_mels=32, d=64):
        super().__init__()
        self.inp = nn.Linear(n_mels, d)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, 128), 2, enable_nested_tensor=False)

    def forward(self, fbank):  # (B, T, n_mels)
        pad = fbank.abs().sum(-1).eq(0)
        return self.enc(self.inp(fbank.transpose(0, 1)), src_key_padding_mask=pad)


class FrameAttention(nn.Module):
    def __init__(self, n_mels=32, d=64):
        super().__init__()
        self.inp = nn.Linear(n_mels, d)
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)

    def forward(self, fbank):
        silent = fbank.abs().sum(-1) == 0
        h = self.inp(fbank)
        return self.attn(h, h, h, key_padding_mask=silent)[0]
