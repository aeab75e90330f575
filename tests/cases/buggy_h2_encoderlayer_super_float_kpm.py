"""Subclass of TransformerEncoderLayer that builds its own padding mask."""
import torch
import torch.nn as nn


class PaddedEncoderLayer(nn.TransformerEncoderLayer):
    def __init__(self, d_model, nhead, pad_id=0, **kw):
        super().__init__(d_model, nhead, batch_first=True, **kw)
        self.pad_id = pad_id

    def forward(self, src, ids):
        pad = (ids == self.pad_id).float()
        return super().forward(src, src_key_padding_mask=pad)  # expect: ML201
