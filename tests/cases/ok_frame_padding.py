import torch.nn as nn


class Pool(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, h, batch_first=True), 2)

    def forward(self, x, frames):
        pad = (frames == 0).all(dim=-1)
        y, _ = self.attn(x, x, x, key_padding_mask=pad)
        keep = (frames != 0).any(-1)
        z = self.enc(x, src_key_padding_mask=~keep)
        return y + z
