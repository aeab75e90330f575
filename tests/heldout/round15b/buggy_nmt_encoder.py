"""Sequence-first NMT encoder (fairseq-like layout: tokens are (src_len, batch))."""
import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=512):
        super().__init__()
        pe = torch.zeros(max_len, 1, d_model)
        position = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe[:, 0, 0::2] = torch.sin(position * div)
        pe[:, 0, 1::2] = torch.cos(position * div)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.size(0)]


class NMTEncoder(nn.Module):
    def __init__(self, vocab_size, d_model=32, nhead=4, num_layers=2, padding_idx=1):
        super().__init__()
        self.padding_idx = padding_idx
        self.embed_tokens = nn.Embedding(vocab_size, d_model, padding_idx=padding_idx)
        self.embed_scale = math.sqrt(d_model)
        self.pos = PositionalEncoding(d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, dropout=0.0)
        self.layers = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)

    def forward(self, src_tokens):
        x = self.pos(self.embed_tokens(src_tokens) * self.embed_scale)
        encoder_padding_mask = src_tokens.eq(self.padding_idx)
        x = self.layers(x, src_key_padding_mask=encoder_padding_mask)  # expect: ML304
        return {"encoder_out": x, "encoder_padding_mask": encoder_padding_mask}


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = NMTEncoder(vocab_size=30)
    src = torch.tensor([[4, 5, 6, 7, 2], [8, 9, 2, 1, 1]]).t()
    try:
        out = enc(src)
        print(out["encoder_out"].shape)
    except AssertionError as e:
        print("encoder failed:", e)
