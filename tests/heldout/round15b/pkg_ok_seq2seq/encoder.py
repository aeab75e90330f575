import torch
from torch import nn


class Encoder(nn.Module):
    def __init__(self, vocab, d_model, nhead, layers, pad_id, max_len=64):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, d_model, padding_idx=pad_id)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
        self.stack = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, src):
        padding = src.eq(self.pad_id)
        x = self.emb(src) + self.pos(torch.arange(src.size(1), device=src.device))
        return {"memory": self.stack(x, src_key_padding_mask=padding), "padding": padding}
