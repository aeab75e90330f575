import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence


class FrameEncoder(nn.Module):
    def __init__(self, d=40):
        super().__init__()
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4), 2)

    def forward(self, utterances):
        x = pad_sequence(utterances)
        is_pad = pad_sequence([torch.zeros(u.size(0), dtype=torch.bool) for u in utterances], padding_value=True)
        return self.enc(x, src_key_padding_mask=is_pad)  # expect: ML304
