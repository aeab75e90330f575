"""A mask prepared and then thrown away (catalogue P5-3): the parameter is converted for the
attention below, then an unconditional `= None` replaces it, so every call gets no mask."""
import torch
import torch.nn as nn


class CrossBlock(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, x, memory, memory_padding_mask=None):
        return self.attn(x, memory, memory, key_padding_mask=memory_padding_mask)[0]


class Decoder(nn.Module):
    def __init__(self, d=32, heads=4, layers=2):
        super().__init__()
        self.blocks = nn.ModuleList(CrossBlock(d, heads) for _ in range(layers))

    def forward(self, x, memory, encoder_attention_mask=None):
        if encoder_attention_mask is not None:
            encoder_attention_mask = encoder_attention_mask == 0
        encoder_attention_mask = None  # expect: ML504
        for block in self.blocks:
            x = block(x, memory, encoder_attention_mask)
        return x


def encode(layer, embeds, input_ids, pad_id=0, src_key_padding_mask=None):
    src_key_padding_mask = input_ids == pad_id
    src_key_padding_mask = None  # expect: ML504
    return layer(embeds, src_key_padding_mask=src_key_padding_mask)
