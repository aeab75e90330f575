import math

import torch
import torch.nn as nn


class TimeMajorEncoder(nn.Module):
    """Encoder over (src_len, batch) token tensors."""

    def __init__(self, vocab_size, d_model=32, nhead=4, num_layers=2, padding_idx=1, max_len=128):
        super().__init__()
        self.padding_idx = padding_idx
        self.embed_tokens = nn.Embedding(vocab_size, d_model, padding_idx=padding_idx)
        self.embed_positions = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, dropout=0.0)
        self.layers = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.scale = math.sqrt(d_model)

    def forward(self, src_tokens):
        positions = torch.arange(src_tokens.size(0), device=src_tokens.device)[:, None]
        x = self.embed_tokens(src_tokens) * self.scale + self.embed_positions(positions)
        padding_mask = src_tokens.t().eq(self.padding_idx)
        x = self.layers(x, src_key_padding_mask=padding_mask)
        return x, padding_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    src = torch.tensor([[4, 5, 6, 7, 2], [8, 9, 2, 1, 1]]).t()
    out, pad = TimeMajorEncoder(30)(src)
    print(out.shape, pad.shape)
