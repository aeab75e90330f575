"""BUG (lost): HF-style forward converts attention_mask to a padding mask, then forwards only
**kwargs (output flags) to the encoder layer, dropping the mask."""
import torch
import torch.nn as nn


class EncoderLayer(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)

    def forward(self, x, key_padding_mask=None, need_weights=False):
        out, w = self.attn(x, x, x, key_padding_mask=key_padding_mask, need_weights=need_weights)
        return out, w


class TextEncoder(nn.Module):
    def __init__(self, vocab=100, d=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.layer = EncoderLayer(d)

    def forward(self, input_ids, attention_mask, **kwargs):
        pad = attention_mask == 0
        x = self.emb(input_ids)
        x, w = self.layer(x, **kwargs)  # expect: ML505
        return x.mean(1)

